import { parseDecimal } from '../money.ts';

/**
 * A VAT rate as an exact fraction: VAT on `net` minor units is `net × num / den` minor units before
 * rounding. "17.5" → 175/1000, "20" → 20/100.
 */
export interface TaxRate {
  readonly percent: string;
  readonly num: number;
  readonly den: number;
}

export function parseTaxRate(percent: string | number): TaxRate {
  const d = parseDecimal(percent);
  if (d.units < 0n || d.scale > 6) throw new RangeError(`${String(percent)} is not a tax percentage`);
  const num = Number(d.units);
  const den = 100 * 10 ** d.scale;
  const g = gcd(num, den);
  return { percent: String(percent), num: num / g, den: den / g };
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y) [x, y] = [y, x % y];
  return x || 1;
}

export function sameRate(a: TaxRate, b: TaxRate): boolean {
  return a.num === b.num && a.den === b.den;
}

export interface LineTax {
  /** The VAT in minor units, rounded to the nearest unit. */
  tax: number;
  /**
   * The exact VAT lies exactly half-way between two minor units. Sage and the importer round in
   * floating point, and half-way values can go either way; the pricing never emits such a line.
   */
  tie: boolean;
}

/** VAT on one line as Sage computes it: from the line's net, rounded to the penny, per line. */
export function lineTax(net: number, rate: TaxRate): LineTax {
  if (rate.num === 0 || net === 0) return { tax: 0, tie: false };
  const magnitude = Math.abs(net);
  let quotient: number;
  let twiceRemainder: number;
  if (magnitude * rate.num <= Number.MAX_SAFE_INTEGER) {
    const product = magnitude * rate.num;
    quotient = Math.floor(product / rate.den);
    twiceRemainder = 2 * (product - quotient * rate.den);
  } else {
    const product = BigInt(magnitude) * BigInt(rate.num);
    const den = BigInt(rate.den);
    quotient = Number(product / den);
    twiceRemainder = Number(2n * (product % den));
  }
  const tie = twiceRemainder === rate.den;
  const rounded = twiceRemainder >= rate.den ? quotient + 1 : quotient;
  return { tax: net < 0 ? -rounded : rounded, tie };
}
