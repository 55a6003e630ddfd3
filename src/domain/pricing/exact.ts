import { formatDecimal, parseDecimal, roundHalfAwayFromZero } from '../money.ts';

/**
 * WooCommerce line amounts can carry up to 6+ decimals ("8.333333" when prices include tax). They
 * are held exactly as integers of 10^-12 currency units, so sums and comparisons need no floats.
 */
export const EXACT_SCALE = 12;
const MINOR_DECIMALS = 2;
/** One minor unit (penny) in exact units. */
export const MINOR = 10n ** BigInt(EXACT_SCALE - MINOR_DECIMALS);

export function exact(value: string | number): bigint {
  return roundHalfAwayFromZero(parseDecimal(value), EXACT_SCALE);
}

export function exactFromMinor(minor: number): bigint {
  return BigInt(minor) * MINOR;
}

/** The largest whole minor amount not above `value`. */
export function floorMinor(value: bigint): number {
  const q = value / MINOR;
  return Number(value < 0n && q * MINOR !== value ? q - 1n : q);
}

export function roundMinor(value: bigint): number {
  return Number(roundHalfAwayFromZero({ units: value, scale: EXACT_SCALE }, MINOR_DECIMALS));
}

export function isWholeMinor(value: bigint): boolean {
  return value % MINOR === 0n;
}

/** "8.333333", "-1.5": an exact amount without trailing zeros, for messages. */
export function formatExact(value: bigint): string {
  const text = formatDecimal({ units: value, scale: EXACT_SCALE });
  return text.replace(/(\.\d*?[1-9])0+$/, '$1').replace(/\.0+$/, '');
}

/** |a − b| in minor units, rounded up: how far apart two exact amounts are. */
export function distanceInMinor(a: bigint, b: bigint): number {
  const d = a > b ? a - b : b - a;
  return Number((d + MINOR - 1n) / MINOR);
}

/**
 * Rounds each exact amount to whole minor units so that they add up to `target` exactly (largest
 * remainder): amounts are rounded down, then the missing pennies go to those that lost most. When
 * pennies must be taken away, they come from those that lost least.
 */
export function allocateToTotal(values: readonly bigint[], target: number): number[] {
  const floors = values.map(floorMinor);
  const fractions = values.map((v, i) => v - exactFromMinor(floors[i] ?? 0));
  const result = [...floors];
  if (values.length === 0) return result;
  let need = target - floors.reduce((a, b) => a + b, 0);
  const magnitude = (i: number) => (values[i]! < 0n ? -values[i]! : values[i]!);
  const byLoss = values.map((_, i) => i).sort((a, b) => cmp(fractions[b]!, fractions[a]!) || cmp(magnitude(b), magnitude(a)) || a - b);
  const byLeastLoss = values.map((_, i) => i).sort((a, b) => cmp(fractions[a]!, fractions[b]!) || cmp(magnitude(b), magnitude(a)) || a - b);
  while (need > 0) {
    for (const i of byLoss) {
      if (need === 0) break;
      result[i]! += 1;
      need -= 1;
    }
  }
  while (need < 0) {
    for (const i of byLeastLoss) {
      if (need === 0) break;
      result[i]! -= 1;
      need += 1;
    }
  }
  return result;
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
