import cron from 'node-cron';
import type { Logger } from '../log/logger.ts';

export interface ScheduledJob {
  name: string;
  /** Read at every reconcile, so a schedule changed in settings takes effect without a restart. */
  schedule(): Promise<string> | string;
  run(): Promise<void>;
}

/** The part of a cron task the scheduler uses; injectable so tests can fire ticks themselves. */
export interface TickSource {
  stop(): void;
}
export type TickSourceFactory = (expression: string, onTick: () => void) => TickSource;

const nodeCronTicks: TickSourceFactory = (expression, onTick) => {
  const task = cron.createTask(expression, onTick);
  task.start();
  return { stop: () => void task.destroy() };
};

export interface Scheduler {
  /** Creates or re-creates the cron tasks whose expression changed. */
  reconcile(): Promise<void>;
  /** Runs a job now (e.g. a webhook asking for a poll); if it is running, it runs once more after. */
  runNow(name: string): Promise<void>;
  /** Stops ticking and waits for runs in progress to finish. */
  stop(): Promise<void>;
  expressions(): Record<string, string>;
}

interface JobState {
  job: ScheduledJob;
  expression?: string;
  ticks?: TickSource;
  running?: Promise<void>;
  again: boolean;
}

/**
 * node-cron wiring with two guarantees cron alone does not give: a job never overlaps itself (a tick
 * during a run asks for one more run afterwards instead of starting a second), and stop() waits
 * for the run in hand so shutdown never cuts a batch in half.
 */
export function createScheduler(options: { jobs: ScheduledJob[]; logger: Logger; ticks?: TickSourceFactory }): Scheduler {
  const makeTicks = options.ticks ?? nodeCronTicks;
  const states = new Map(options.jobs.map((job) => [job.name, { job, again: false } as JobState]));
  let stopped = false;

  function trigger(state: JobState): Promise<void> {
    if (stopped) return Promise.resolve();
    if (state.running) {
      state.again = true;
      return state.running;
    }
    state.running = (async () => {
      do {
        state.again = false;
        const started = Date.now();
        try {
          await state.job.run();
          options.logger.debug({ job: state.job.name, ms: Date.now() - started }, 'job finished');
        } catch (err) {
          options.logger.error({ job: state.job.name, err }, 'job failed');
        }
      } while (state.again && !stopped);
    })().finally(() => {
      state.running = undefined;
    });
    return state.running;
  }

  return {
    async reconcile() {
      if (stopped) return;
      for (const state of states.values()) {
        let expression: string;
        try {
          expression = await state.job.schedule();
        } catch (err) {
          options.logger.error({ job: state.job.name, err }, 'could not read the schedule; keeping the current one');
          continue;
        }
        if (expression === state.expression) continue;
        if (!cron.validate(expression)) {
          options.logger.error({ job: state.job.name, expression }, 'invalid cron expression; keeping the current one');
          continue;
        }
        state.ticks?.stop();
        state.expression = expression;
        state.ticks = makeTicks(expression, () => void trigger(state));
        options.logger.info({ job: state.job.name, expression }, 'job scheduled');
      }
    },
    runNow(name) {
      const state = states.get(name);
      if (!state) throw new Error(`no scheduled job named ${name}`);
      return trigger(state);
    },
    async stop() {
      stopped = true;
      for (const state of states.values()) state.ticks?.stop();
      await Promise.all([...states.values()].map((state) => state.running));
    },
    expressions() {
      return Object.fromEntries([...states.values()].map((s) => [s.job.name, s.expression ?? '']));
    },
  };
}
