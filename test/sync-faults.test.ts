import { expect, it } from 'vitest';
import { describeScenario, runFaultScenario } from './helpers/fault-scenario.ts';
import { scenarioSeeds } from './helpers/seeds.ts';
import { describeEachDialect } from './helpers/test-db.ts';

// Every run: five fixed seeds and one fresh one (all in the test name; replay with
// WOO_SAGE_FAULT_SEED=a,b); WOO_SAGE_HEAVY=1: the fixed ones and 150 fresh.
const seeds = scenarioSeeds('WOO_SAGE_FAULT_SEED', { fixed: [11, 1_203_771, 58_442_019, 704_118_233, 1_999_000_001], fresh: 1, heavy: 150 });

describeEachDialect('sync under injected faults and a store that changes while paged', (ctx) => {
  it(
    `when 500s, 429s, timeouts, resets, cut-off and malformed bodies hit orders and customers at random (seeds ${seeds.join(', ')}), then each run finishes or fails cleanly, the cursor is never ahead, and a clean run leaves the inbox equal to the store`,
    async () => {
      const { db } = ctx();
      let failedRuns = 0;
      for (const seed of seeds) {
        const report = await runFaultScenario({ db, seed });
        expect(report.problems, describeScenario(report)).toEqual([]);
        failedRuns += report.runs.filter((r) => !r.ok).length;
      }
      // The schedule must really hurt sometimes, or the test proves nothing about failing cleanly.
      if (seeds.length >= 6) expect(failedRuns).toBeGreaterThan(0);
    },
    seeds.length * 20_000,
  );
});
