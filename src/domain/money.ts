/**
 * Exact decimal money. WooCommerce sends amounts as strings with any number of decimals ("0.9",
 * "12.3456"); they are parsed into scaled big integers, never floats, and turned into integer
 * minor units (pennies) only by an explicit rounding rule.
 */

/** An exact decimal: `units / 10^scale`. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?$/;

export class MoneyFormatError extends Error {
  constructor(readonly value: unknown) {
    super(`${JSON.stringify(value)} is not a decimal amount`);
  }
}

/** Parses "12.30", "-0.9", ".5", "7", or a finite number (via its shortest decimal text). */
export function parseDecimal(value: string | number): Decimal {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MoneyFormatError(value);
    text = numberToPlainText(value);
  } else {
    text = value.trim();
  }
  const match = DECIMAL_TEXT.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new MoneyFormatError(value);
  const [, sign, whole, fraction = ''] = match;
  // Not both empty (refused above); BigInt reads leading zeros ("007") as decimal digits.
  const magnitude = BigInt(`${whole}${fraction}`);
  return { units: sign === '-' ? -magnitude : magnitude, scale: fraction.length };
}

/** `1e-7` → "0.0000001": numbers are turned into plain decimal text before parsing. */
export function numberToPlainText(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/\.?0+$/, '');
}

export function isDecimalText(value: unknown): boolean {
  // A number is accepted when its plain decimal text is (1e21 and above have none).
  if (typeof value === 'number') return Number.isFinite(value) && isDecimalText(numberToPlainText(value));
  if (typeof value !== 'string') return false;
  const match = DECIMAL_TEXT.exec(value.trim());
  return !!match && !(match[2] === '' && (match[3] ?? '') === '');
}

/** Rescales to `scale` decimals exactly; throws if digits would be lost. */
export function rescaleExact(d: Decimal, scale: number): bigint {
  if (scale >= d.scale) return d.units * 10n ** BigInt(scale - d.scale);
  const divisor = 10n ** BigInt(d.scale - scale);
  if (d.units % divisor !== 0n) throw new RangeError(`${formatDecimal(d)} has more than ${scale} decimals`);
  return d.units / divisor;
}

/** Rounds half away from zero (how WooCommerce's PHP round() rounds) to `scale` decimals. */
export function roundHalfAwayFromZero(d: Decimal, scale: number): bigint {
  if (scale >= d.scale) return d.units * 10n ** BigInt(scale - d.scale);
  const divisor = 10n ** BigInt(d.scale - scale);
  const negative = d.units < 0n;
  const magnitude = negative ? -d.units : d.units;
  const quotient = magnitude / divisor;
  const remainder = magnitude % divisor;
  const rounded = remainder * 2n >= divisor ? quotient + 1n : quotient;
  return negative ? -rounded : rounded;
}

/** Integer minor units (e.g. pennies for 2 decimals), rounded half away from zero. */
export function toMinorUnits(value: string | number, decimals = 2): number {
  const minor = roundHalfAwayFromZero(parseDecimal(value), decimals);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${String(value)} is too large an amount`);
  }
  return Number(minor);
}

/** True when the amount has no digits beyond `decimals` (ignoring trailing zeros). */
export function isExactAtScale(value: string | number, decimals = 2): boolean {
  const d = parseDecimal(value);
  if (d.scale <= decimals) return true;
  return d.units % 10n ** BigInt(d.scale - decimals) === 0n;
}

export function formatDecimal(d: Decimal): string {
  const negative = d.units < 0n;
  const digits = (negative ? -d.units : d.units).toString().padStart(d.scale + 1, '0');
  const whole = d.scale === 0 ? digits : digits.slice(0, -d.scale);
  const fraction = d.scale === 0 ? '' : `.${digits.slice(-d.scale)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** 1234 → "12.34"; the text Sage XML carries. */
export function formatMinorUnits(minor: number, decimals = 2): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`${minor} is not an integer amount of minor units`);
  return formatDecimal({ units: BigInt(minor), scale: decimals });
}
