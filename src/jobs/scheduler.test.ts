import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger.ts';
import { createScheduler, type TickSourceFactory } from './scheduler.ts';

function manualTicks() {
  const live = new Map<string, () => void>();
  const factory: TickSourceFactory = (expression, onTick) => {
    live.set(expression, onTick);
    return { stop: () => void live.delete(expression) };
  };
  return { factory, live, tick: (expression: string) => live.get(expression)?.() };
}

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('scheduler', () => {
  it('when the schedule in settings changes, then reconcile moves the job to the new expression', async () => {
    let expression = '*/5 * * * *';
    const ticks = manualTicks();
    const scheduler = createScheduler({
      jobs: [{ name: 'poll', schedule: () => expression, run: async () => {} }],
      logger: silentLogger,
      ticks: ticks.factory,
    });
    await scheduler.reconcile();
    expect([...ticks.live.keys()]).toEqual(['*/5 * * * *']);
    expression = '*/2 * * * *';
    await scheduler.reconcile();
    expect([...ticks.live.keys()]).toEqual(['*/2 * * * *']);
    await scheduler.stop();
    expect(ticks.live.size).toBe(0);
  });

  it('when an expression is invalid, then the current schedule is kept', async () => {
    let expression = '*/5 * * * *';
    const ticks = manualTicks();
    const scheduler = createScheduler({
      jobs: [{ name: 'poll', schedule: () => expression, run: async () => {} }],
      logger: silentLogger,
      ticks: ticks.factory,
    });
    await scheduler.reconcile();
    expression = 'whenever';
    await scheduler.reconcile();
    expect(scheduler.expressions()).toEqual({ poll: '*/5 * * * *' });
    await scheduler.stop();
  });

  it('when ticks arrive during a run, then the job never overlaps and runs once more afterwards', async () => {
    const gate = deferred();
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const ticks = manualTicks();
    const scheduler = createScheduler({
      jobs: [
        {
          name: 'poll',
          schedule: () => '* * * * *',
          run: async () => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            runs++;
            if (runs === 1) await gate.promise;
            running--;
          },
        },
      ],
      logger: silentLogger,
      ticks: ticks.factory,
    });
    await scheduler.reconcile();
    ticks.tick('* * * * *');
    ticks.tick('* * * * *');
    ticks.tick('* * * * *');
    gate.resolve();
    await scheduler.runNow('poll');
    expect(maxRunning).toBe(1);
    expect(runs).toBe(2);
    await scheduler.stop();
  });

  it('when stopped during a run, then stop waits for the run to finish', async () => {
    const gate = deferred();
    let finished = false;
    const scheduler = createScheduler({
      jobs: [
        {
          name: 'deliver',
          schedule: () => '* * * * *',
          run: async () => {
            await gate.promise;
            finished = true;
          },
        },
      ],
      logger: silentLogger,
      ticks: manualTicks().factory,
    });
    void scheduler.runNow('deliver');
    const stopping = scheduler.stop();
    gate.resolve();
    await stopping;
    expect(finished).toBe(true);
  });

  it('when a run throws, then the error is contained and the next run still happens', async () => {
    let calls = 0;
    const scheduler = createScheduler({
      jobs: [
        {
          name: 'poll',
          schedule: () => '* * * * *',
          run: async () => {
            calls++;
            if (calls === 1) throw new Error('store down');
          },
        },
      ],
      logger: silentLogger,
      ticks: manualTicks().factory,
    });
    await scheduler.runNow('poll');
    await scheduler.runNow('poll');
    expect(calls).toBe(2);
    await scheduler.stop();
  });

  it('when driven by real node-cron every second, then the job runs', async () => {
    let runs = 0;
    const scheduler = createScheduler({
      jobs: [{ name: 'tick', schedule: () => '* * * * * *', run: async () => void runs++ }],
      logger: silentLogger,
    });
    await scheduler.reconcile();
    await new Promise((r) => setTimeout(r, 2_200));
    await scheduler.stop();
    expect(runs).toBeGreaterThanOrEqual(1);
  });
});
