import { exact } from './exact.ts';
import { parseTaxRate, sameRate, type TaxRate } from './tax-rate.ts';
import type { ChargedTax, OrderToPrice, PricingHold } from './types.ts';
import { ownValue } from '../own-key.ts';

/** The part of the settings that maps WooCommerce tax to Sage T-codes. */
export interface TaxCodeSettings {
  taxCodes: {
    byRateId: Record<string, number>;
    byClass: Record<string, number>;
    byPercent: Record<string, number>;
    untaxed: number;
  };
  sageTaxRates: Record<string, string>;
}

export interface TaxedThing {
  /** "line_items[0] \"Blue mug\"" */
  label: string;
  field: string;
  kind: 'product' | 'fee' | 'shipping';
  taxClass: string;
  taxes: readonly ChargedTax[];
  /** Fees with tax_status "none" carry no tax whatever their class. */
  untaxed?: boolean;
}

/** The order's tax rates are where a rate id's label and percentage are found. */
export interface TaxRatesOf {
  taxRates: ReadonlyArray<Pick<OrderToPrice['taxRates'][number], 'rateId' | 'label' | 'ratePercent'>>;
}

export type TaxCodeResult = { ok: true; taxCode: number; taxRate: TaxRate; rateId: number | null } | { ok: false; hold: PricingHold };

/**
 * Finds a line's Sage T-code: by its WooCommerce tax rate id, then (not for shipping, which has no
 * class of its own) its tax class, then the rate's percentage; a line with no tax entry at all is
 * `untaxed`. A line taxed at two rates at once cannot be one Sage line and is held.
 */
export function resolveTaxCode(order: TaxRatesOf, thing: TaxedThing, settings: TaxCodeSettings): TaxCodeResult {
  const charged = thing.untaxed ? [] : thing.taxes.filter((t) => exact(t.total) !== 0n || exact(t.subtotal ?? '0') !== 0n);
  const rateIds = [...new Set(charged.map((t) => t.rateId))];
  if (rateIds.length > 1) {
    return hold(
      'MULTIPLE_TAX_RATES',
      `${thing.label} is taxed at ${rateIds.length} rates (ids ${rateIds.join(', ')}); a Sage line carries one tax code`,
      thing.field,
      rateIds.join(','),
    );
  }
  const rateId = rateIds[0] ?? (thing.untaxed ? undefined : thing.taxes[0]?.rateId);
  if (rateId === undefined) return withRate(settings.taxCodes.untaxed, null, undefined, thing, settings);

  const taxLine = order.taxRates.find((t) => t.rateId === rateId);
  const percent = taxLine?.ratePercent;
  const { byRateId, byClass, byPercent } = settings.taxCodes;
  let code: number | undefined = ownValue(byRateId, String(rateId));
  if (code === undefined && thing.kind !== 'shipping') code = ownValue(byClass, thing.taxClass || 'standard');
  if (code === undefined && percent !== undefined) code = lookupPercent(byPercent, percent);
  if (code === undefined) {
    const shown = [taxLine?.label ? `"${taxLine.label}"` : '', percent !== undefined ? `${percent}%` : ''].filter(Boolean).join(' ');
    return hold(
      'UNMAPPED_TAX_RATE',
      `${thing.label}: WooCommerce tax rate id ${rateId}${shown ? ` (${shown})` : ''}${thing.taxClass ? `, class "${thing.taxClass}"` : ''} has no Sage tax code; add it to taxCodes.byRateId, byClass or byPercent`,
      `${thing.field}.taxes`,
      String(rateId),
    );
  }
  return withRate(code, rateId, percent, thing, settings);
}

function withRate(
  code: number,
  rateId: number | null,
  wooPercent: string | number | undefined,
  thing: TaxedThing,
  settings: TaxCodeSettings,
): TaxCodeResult {
  const sagePercent = ownValue(settings.sageTaxRates, String(code));
  if (sagePercent === undefined) {
    return hold(
      'UNMAPPED_TAX_RATE',
      `${thing.label} maps to T${code}, which has no rate in sageTaxRates`,
      `${thing.field}.taxes`,
      String(code),
    );
  }
  const taxRate = parseTaxRate(sagePercent);
  if (wooPercent !== undefined && wooPercent !== '' && isPercent(wooPercent) && !sameRate(parseTaxRate(wooPercent), taxRate)) {
    return hold(
      'TAX_RATE_MISMATCH',
      `${thing.label}: WooCommerce charged ${wooPercent}% (rate id ${rateId}) but it maps to T${code}, whose Sage rate is ${sagePercent}%`,
      `${thing.field}.taxes`,
      String(rateId),
    );
  }
  return { ok: true, taxCode: code, taxRate, rateId };
}

function isPercent(value: string | number): boolean {
  try {
    parseTaxRate(value);
    return true;
  } catch {
    return false;
  }
}

/** byPercent keys are matched by value: "20", "20.0000" and 20 are the same rate. */
function lookupPercent(byPercent: Record<string, number>, percent: string | number): number | undefined {
  if (!isPercent(percent)) return undefined;
  const wanted = parseTaxRate(percent);
  for (const [key, code] of Object.entries(byPercent)) {
    if (isPercent(key) && sameRate(parseTaxRate(key), wanted)) return code;
  }
  return undefined;
}

function hold(code: PricingHold['code'], message: string, field: string, value: string): { ok: false; hold: PricingHold } {
  return { ok: false, hold: { code, message, field, value } };
}
