/**
 * Order arithmetic the way WooCommerce does it (tax rounding per line, "round at subtotal" off,
 * the default), so the sandbox's orders add up exactly as a real store's do and a correct exporter
 * can match them to the penny:
 * - line taxes are computed unrounded (WooCommerce keeps 6 decimals) and rounded per line;
 * - with prices entered including tax, the tax is taken out of the entered amount and the
 *   excluding-tax line total keeps its odd decimals (shown rounded to 2 in `total`);
 * - shipping and fees are entered excluding tax;
 * - order total = Σ round(line totals) + fees + shipping + Σ rounded taxes.
 * Amounts are integer micro-units (1e-6) so no float ever decides a penny.
 */

export interface TaxRate {
  id: number;
  percent: number;
  className: string;
  label: string;
  code: string;
}

export const UK_TAX_RATES: readonly TaxRate[] = [
  { id: 1, percent: 20, className: '', label: 'VAT', code: 'GB-VAT-1' },
  { id: 2, percent: 5, className: 'reduced-rate', label: 'Reduced rate VAT', code: 'GB-REDUCED RATE VAT-1' },
  { id: 3, percent: 0, className: 'zero-rate', label: 'Zero rate', code: 'GB-ZERO RATE-1' },
];

const MICROS_PER_PENNY = 10_000;

/** "6.50" → 6_500_000; accepts up to 6 decimals. */
export function toMicros(text: string): number {
  const match = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) throw new Error(`not an amount: ${text}`);
  const value = Number(match[2]) * 1_000_000 + Number((match[3] ?? '').padEnd(6, '0'));
  return match[1] ? -value : value;
}

/** Integer division rounded half away from zero (PHP's round()). */
export function roundDiv(numerator: number, denominator: number): number {
  const negative = numerator < 0 !== denominator < 0;
  const n = Math.abs(numerator);
  const d = Math.abs(denominator);
  const q = Math.floor((2 * n + d) / (2 * d));
  return negative ? -q : q;
}

export function microsToPence(micros: number): number {
  return roundDiv(micros, MICROS_PER_PENNY);
}

/** 650 → "6.50" (how the REST API formats money: `dp` decimals). */
export function formatPence(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Unrounded amounts as WooCommerce stores them: trailing zeros dropped ("1.666667", "0.9", "2"). */
export function formatMicros(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  const fraction = String(abs % 1_000_000)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return `${sign}${Math.floor(abs / 1_000_000)}${fraction ? `.${fraction}` : ''}`;
}

export interface LineInput {
  quantity: number;
  /** Unit price as entered, in micros. */
  unitPrice: number;
  /** Coupon discount on the line as entered (same tax basis as the price), in micros. */
  discount: number;
  rate: TaxRate | null;
  pricesIncludeTax: boolean;
}

export interface LineAmounts {
  subtotal: number;
  subtotalTax: number;
  total: number;
  totalTax: number;
}

function taxOf(amount: number, rate: TaxRate | null, inclusive: boolean): number {
  if (!rate || rate.percent === 0) return 0;
  return inclusive ? roundDiv(amount * rate.percent, 100 + rate.percent) : roundDiv(amount * rate.percent, 100);
}

/** A product line: unrounded excluding-tax amounts and taxes, in micros. */
export function lineAmounts(input: LineInput): LineAmounts {
  const subtotalEntered = input.unitPrice * input.quantity;
  const totalEntered = subtotalEntered - input.discount;
  const subtotalTax = taxOf(subtotalEntered, input.rate, input.pricesIncludeTax);
  const totalTax = taxOf(totalEntered, input.rate, input.pricesIncludeTax);
  return input.pricesIncludeTax
    ? { subtotal: subtotalEntered - subtotalTax, subtotalTax, total: totalEntered - totalTax, totalTax }
    : { subtotal: subtotalEntered, subtotalTax, total: totalEntered, totalTax };
}

/** Shipping and fees are entered excluding tax. */
export function exclusiveTax(amount: number, rate: TaxRate | null): number {
  return taxOf(amount, rate, false);
}

/** Splits a discount over lines in proportion to their amounts, remainders to the first lines. */
export function splitDiscount(total: number, amounts: readonly number[]): number[] {
  const sum = amounts.reduce((a, b) => a + b, 0);
  if (sum <= 0) return amounts.map(() => 0);
  const capped = Math.min(total, sum);
  const shares = amounts.map((a) => Math.floor((capped * a) / sum / MICROS_PER_PENNY) * MICROS_PER_PENNY);
  let remainder = capped - shares.reduce((a, b) => a + b, 0);
  // The rooms left add up to at least the remainder, because the discount is capped at the sum.
  for (let i = 0; remainder > 0; i = (i + 1) % shares.length) {
    const step = Math.min(amounts[i]! - shares[i]!, MICROS_PER_PENNY, remainder);
    shares[i]! += step;
    remainder -= step;
  }
  return shares;
}
