import { resolveTaxCode } from '../domain/pricing/tax-codes.ts';
import type { Settings } from '../settings/schema.ts';
import { MAX_PER_PAGE, type WooClient } from '../woo/client.ts';
import { finding, shopText, type Finding } from './findings.ts';

/** One of the store's tax rates (`GET taxes`), as far as the mapping needs it. */
export interface StoreTaxRate {
  id: number;
  rate: string;
  name: string;
  /** "standard" or the class slug. */
  className: string;
  where: string;
}

export function readTaxRate(raw: unknown): StoreTaxRate | undefined {
  const r = (raw ?? {}) as Record<string, unknown>;
  const id = Number(r.id);
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const where = [shopText(r.country, 10), shopText(r.state, 10)].filter(Boolean).join('-');
  return {
    id,
    rate: shopText(r.rate, 12),
    name: shopText(r.name),
    className: shopText(r.class, 60) || 'standard',
    where: where || 'everywhere',
  };
}

export async function fetchTaxRates(client: WooClient): Promise<StoreTaxRate[]> {
  const rates: StoreTaxRate[] = [];
  for (let page = 1; page <= 50; page++) {
    const { json } = await client.getJson('taxes', { per_page: String(MAX_PER_PAGE), page: String(page) });
    if (!Array.isArray(json)) throw new Error('taxes is not a list of tax rates');
    for (const raw of json) {
      const rate = readTaxRate(raw);
      if (rate) rates.push(rate);
    }
    if (json.length < MAX_PER_PAGE) break;
  }
  return rates;
}

/** "20.0000" → "20"; what a person types into byPercent. */
function percentText(rate: string): string {
  return /^\d+(\.\d+)?$/.test(rate) ? String(Number(rate)) : rate;
}

/**
 * The T-code each of the store's tax rates maps to under the current `taxCodes`, decided by the
 * same function that prices orders: a rate it cannot map (or maps to a Sage code of another rate)
 * is one whose orders would be held.
 */
export function taxRateFindings(rates: readonly StoreTaxRate[], settings: Settings): Finding[] {
  if (rates.length === 0)
    return [finding('tax.rate', 'info', `the store has no tax rates: every line goes to Sage untaxed, with T${settings.taxCodes.untaxed}`)];
  return rates.map((rate) => {
    const percent = percentText(rate.rate);
    const label = `tax rate ${rate.id} "${rate.name}" ${percent}% (${rate.where}, class ${rate.className})`;
    const result = resolveTaxCode(
      { taxRates: [{ rateId: rate.id, label: rate.name, ratePercent: rate.rate }] },
      {
        label,
        field: 'taxes',
        kind: 'product',
        taxClass: rate.className === 'standard' ? '' : rate.className,
        taxes: [{ rateId: rate.id, total: '1' }],
      },
      settings,
    );
    if (result.ok) return finding('tax.rate', 'ok', `${label} → T${result.taxCode}`);
    if (result.hold.code === 'TAX_RATE_MISMATCH')
      return finding(
        'tax.rate',
        'fail',
        `${result.hold.message}: orders taxed at it would be held`,
        `map it to a Sage tax code whose rate is ${percent}% (taxCodes, sageTaxRates)`,
      );
    return finding(
      'tax.rate',
      'fail',
      `${label} has no Sage tax code: orders taxed at it would be held`,
      `add "${rate.id}": <T-code> to taxCodes.byRateId (or "${rate.className}" to taxCodes.byClass, or "${percent}" to taxCodes.byPercent)`,
    );
  });
}

export async function checkTaxRates(client: WooClient, settings: Settings): Promise<Finding[]> {
  try {
    return taxRateFindings(await fetchTaxRates(client), settings);
  } catch (err) {
    return [
      finding(
        'tax.rate',
        'fail',
        `the store's tax rates could not be read, so their Sage tax codes are unknown: ${(err as Error).message}`,
        'create the key for an Administrator or Shop manager',
      ),
    ];
  }
}
