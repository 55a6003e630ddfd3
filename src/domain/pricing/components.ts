import { quoted } from '../text.ts';
import { exact, floorMinor, MINOR, roundMinor } from './exact.ts';
import { resolveTaxCode, type TaxCodeSettings } from './tax-codes.ts';
import type { TaxRate } from './tax-rate.ts';
import type { OrderToPrice, PricingHold } from './types.ts';
import { ownValue } from '../own-key.ts';

export interface ComponentSettings extends TaxCodeSettings {
  nominalCodes: {
    default: string;
    carriage: string;
    fees: string;
    rounding: string;
    bySku: Record<string, string>;
    byCategory: Record<string, string>;
  };
  missingSku: 'default' | 'hold';
  defaultSku: string;
}

export interface ComponentOptions {
  /** Category slugs of a product, when known: nominalCodes.byCategory needs them (orders don't carry them). */
  categoriesOf?: (productId: number) => readonly string[];
}

/** One priced unit of an order before it is turned into Sage lines: a product line, a fee, or shipping. */
export interface Component {
  kind: 'product' | 'fee' | 'shipping';
  source: string;
  label: string;
  sku: string;
  name: string;
  quantity: number;
  /** Net after coupons, exact (WooCommerce `total`). */
  exactNet: bigint;
  exactTax: bigint;
  /** The unit price before coupon discounts, in minor units, when a coupon reduced this line. */
  listPrice: number | null;
  taxCode: number;
  taxRate: TaxRate;
  rateId: number | null;
  nominalCode: string;
}

export type ComponentsResult = { ok: true; components: Component[]; warnings: string[] } | { ok: false; hold: PricingHold };

/**
 * Reads the order's product lines, fees and shipping as exact amounts with their tax code, SKU and
 * nominal code. Shipping lines that share a tax code become one component (one Sage carriage line).
 */
export function extractComponents(order: OrderToPrice, settings: ComponentSettings, options: ComponentOptions = {}): ComponentsResult {
  const components: Component[] = [];
  const warnings: string[] = [];

  for (const [i, line] of order.products.entries()) {
    const field = `line_items[${i}]`;
    const name = line.name.trim();
    const label = `${field} ${quoted(name)}`;
    if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
      return hold(
        'BAD_QUANTITY',
        `${label}: quantity ${line.quantity} is not a whole number of at least 1`,
        `${field}.quantity`,
        String(line.quantity),
      );
    }
    const exactNet = exact(line.total);
    const exactSubtotal = exact(line.subtotal);
    if (exactNet < 0n) return hold('BAD_AMOUNT', `${label}: total ${line.total} is negative`, `${field}.total`, line.total);
    const tax = resolveTaxCode(order, { label, field, kind: 'product', taxClass: line.taxClass, taxes: line.taxes }, settings);
    if (!tax.ok) return tax;
    let sku = line.sku.trim();
    if (!sku) {
      if (settings.missingSku === 'hold') {
        return hold('MISSING_SKU', `${label} has no SKU; give the product a SKU or set missingSku to "default"`, `${field}.sku`, '');
      }
      sku = settings.defaultSku;
      warnings.push(`${label} has no SKU; product code ${sku} used`);
    }
    components.push({
      kind: 'product',
      source: field,
      label,
      sku,
      name,
      quantity: line.quantity,
      exactNet,
      exactTax: exact(line.totalTax),
      listPrice: listPriceOf(exactSubtotal, exactNet, line.quantity),
      ...tax,
      nominalCode: productNominal(sku, line.productId, settings, options),
    });
  }

  for (const [i, fee] of order.fees.entries()) {
    const field = `fee_lines[${i}]`;
    const name = fee.name.trim() || 'Fee';
    const label = `${field} ${quoted(name)}`;
    const tax = resolveTaxCode(
      order,
      { label, field, kind: 'fee', taxClass: fee.taxClass, taxes: fee.taxes, untaxed: fee.untaxed },
      settings,
    );
    if (!tax.ok) return tax;
    components.push({
      kind: 'fee',
      source: field,
      label,
      sku: settings.defaultSku,
      name,
      quantity: 1,
      exactNet: exact(fee.total),
      exactTax: exact(fee.totalTax),
      listPrice: null,
      ...tax,
      nominalCode: settings.nominalCodes.fees,
    });
  }

  const shippingByCode = new Map<number, Component>();
  for (const [i, ship] of order.shipping.entries()) {
    const field = `shipping_lines[${i}]`;
    const name = ship.name.trim() || 'Shipping';
    const label = `${field} ${quoted(name)}`;
    const exactNet = exact(ship.total);
    if (exactNet < 0n) return hold('BAD_AMOUNT', `${label}: total ${ship.total} is negative`, `${field}.total`, ship.total);
    const tax = resolveTaxCode(order, { label, field, kind: 'shipping', taxClass: '', taxes: ship.taxes }, settings);
    if (!tax.ok) return tax;
    const same = shippingByCode.get(tax.taxCode);
    if (same) {
      same.exactNet += exactNet;
      same.exactTax += exact(ship.totalTax);
      same.name = `${same.name} + ${name}`;
      same.source = `${same.source}+${i}`;
      continue;
    }
    const component: Component = {
      kind: 'shipping',
      source: field,
      label,
      sku: settings.defaultSku,
      name,
      quantity: 1,
      exactNet,
      exactTax: exact(ship.totalTax),
      listPrice: null,
      ...tax,
      nominalCode: settings.nominalCodes.carriage,
    };
    shippingByCode.set(tax.taxCode, component);
    components.push(component);
  }
  return { ok: true, components, warnings };
}

function productNominal(sku: string, productId: number, settings: ComponentSettings, options: ComponentOptions): string {
  const { bySku, byCategory } = settings.nominalCodes;
  const direct = ownValue(bySku, sku);
  if (direct) return direct;
  for (const slug of options.categoriesOf?.(productId) ?? []) {
    const code = ownValue(byCategory, slug);
    if (code) return code;
  }
  return settings.nominalCodes.default;
}

/**
 * The pre-coupon unit price, when a coupon took at least half a penny off the line. Prices entered
 * with tax give subtotals such as 8.333333; the list price is then rounded to the penny.
 */
function listPriceOf(exactSubtotal: bigint, exactNet: bigint, quantity: number): number | null {
  if (exactSubtotal - exactNet < MINOR / 2n) return null;
  const perUnit = roundMinor(exactSubtotal / BigInt(quantity));
  return perUnit > 0 && perUnit >= floorMinor(exactNet / BigInt(quantity)) ? perUnit : null;
}

function hold(code: PricingHold['code'], message: string, field: string, value: string): { ok: false; hold: PricingHold } {
  return { ok: false, hold: { code, message, field, value } };
}
