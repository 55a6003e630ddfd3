import { randomInt } from 'node:crypto';

/** True when the heavy variants of the proof suites are asked for (WOO_SAGE_HEAVY=1). */
export const HEAVY = process.env.WOO_SAGE_HEAVY === '1';

export interface SeedPlan {
  /** Seeds that always run: ones that found bugs before, so a regression is caught every time. */
  fixed: readonly number[];
  /** Fresh random seeds added to every ordinary run, so each run also explores new interleavings. */
  fresh: number;
  /** Fresh random seeds with WOO_SAGE_HEAVY=1 (the fixed ones run too). */
  heavy: number;
}

/**
 * Seeds for a randomised suite: the ones in `replayVariable` when set (comma-separated, to replay a
 * failure), otherwise the fixed seeds plus consecutive fresh ones from a random start. Suites put
 * the seeds in their test names, so a failure names the seed and the variable that replays it.
 */
export function scenarioSeeds(replayVariable: string, plan: SeedPlan): number[] {
  const replay = process.env[replayVariable];
  if (replay) return replay.split(',').map((s) => Number(s.trim()));
  const start = randomInt(1, 2 ** 31 - 1_000_000);
  const fresh = Array.from({ length: HEAVY ? plan.heavy : plan.fresh }, (_, i) => start + i);
  return [...plan.fixed, ...fresh];
}
