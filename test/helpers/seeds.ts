import { randomInt } from 'node:crypto';

/** True when the heavy variants of the proof suites are asked for (WOO_SAGE_HEAVY=1). */
export const HEAVY = process.env.WOO_SAGE_HEAVY === '1';

/**
 * Seeds for a randomised suite: the one in `replayVariable` when set (to replay a failure),
 * otherwise `ci` (or `heavy`) consecutive seeds from a random start, so every CI run explores new
 * interleavings and a failure names the seed that found it.
 */
export function scenarioSeeds(replayVariable: string, counts: { ci: number; heavy: number }): number[] {
  const replay = process.env[replayVariable];
  if (replay) return replay.split(',').map((s) => Number(s.trim()));
  const start = randomInt(1, 2 ** 31 - 1_000_000);
  return Array.from({ length: HEAVY ? counts.heavy : counts.ci }, (_, i) => start + i);
}
