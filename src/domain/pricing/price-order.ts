import { formatMinorUnits } from '../money.ts';
import { extractComponents, type Component, type ComponentOptions, type ComponentSettings } from './components.ts';
import { allocateToTotal, distanceInMinor, exact, exactFromMinor, floorMinor, formatExact, isWholeMinor, roundMinor } from './exact.ts';
import { sageLineNet, sageTotals } from './sage-arithmetic.ts';
import { linesTax, solveGroup, splitNet } from './rounding-solver.ts';
import { lineTax, type TaxRate } from './tax-rate.ts';
import type { DiscountMode, OrderToPrice, PricedLine, PricingHold, PricingResult } from './types.ts';

export interface PricingSettings extends ComponentSettings {
  couponDiscountAs: DiscountMode;
}

type Hold = { ok: false; hold: PricingHold };

/**
 * Prices an order (or a refund read as one, `subject` naming it in messages) as Sage 50 lines whose net, VAT and gross equal the order's `total`
 * and `total_tax` to the penny, as Sage itself will compute them (quantity × unit price − discount
 * per line, VAT per line from its T-code's rate). Returns the lines, or a hold naming the order,
 * the field and the value when that cannot be done honestly.
 */
export function priceOrder(
  order: OrderToPrice,
  settings: PricingSettings,
  options: ComponentOptions & { subject?: string } = {},
): PricingResult {
  const result = price(order, settings, options);
  if (result.ok) return result;
  return { ok: false, hold: { ...result.hold, message: `${options.subject ?? `order ${order.id}`}: ${result.hold.message}` } };
}

function price(order: OrderToPrice, settings: PricingSettings, options: ComponentOptions): PricingResult {
  const currency = order.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency))
    return hold('BAD_CURRENCY', `currency ${JSON.stringify(order.currency)} is not a 3-letter code`, 'currency', order.currency);
  const gross = exact(order.total);
  const totalTax = exact(order.totalTax);
  if (gross < 0n) return hold('BAD_AMOUNT', `total ${order.total} is negative`, 'total', order.total);
  if (totalTax < 0n || totalTax > gross)
    return hold('BAD_AMOUNT', `total_tax ${order.totalTax} is not between 0 and the total ${order.total}`, 'total_tax', order.totalTax);
  const targetGross = roundMinor(gross);
  const targetTax = roundMinor(totalTax);
  const targetNet = targetGross - targetTax;

  const extracted = extractComponents(order, settings, options);
  if (!extracted.ok) return extracted;
  const { components, warnings } = extracted;
  if (components.length === 0) return hold('NO_LINES', 'has no product, fee or shipping lines to export', 'line_items', '[]');

  const exactNets = components.map((c) => c.exactNet);
  const netSum = exactNets.reduce((a, b) => a + b, 0n);
  if (distanceInMinor(netSum, exactFromMinor(targetNet)) > Math.ceil(components.length / 2) + 1) {
    return hold(
      'TOTALS_MISMATCH',
      `total ${order.total} less total_tax ${order.totalTax} leaves ${formatMinorUnits(targetNet)} net, but its lines add up to ${formatExact(netSum)} (${breakdown(components)})`,
      'total',
      order.total,
    );
  }
  const nets = allocateToTotal(exactNets, targetNet);
  const alternatives = components.map((c, i) => alternativeNet(c.exactNet, nets[i]!));

  const targets = groupTaxTargets(order, components, targetTax);
  if (!targets.ok) return targets;

  const rounding: Array<{ taxCode: number; taxRate: TaxRate; nets: number[] }> = [];
  for (const [taxCode, indices] of groupBy(components)) {
    const taxRate = components[indices[0]!]!.taxRate;
    const target = targets.byCode.get(taxCode) ?? 0;
    const solution = solveGroup({
      items: indices.map((i) => ({
        net: nets[i]!,
        alternative: alternatives[i],
        lineNets: (net: number) => sageLines(components[i]!, net, settings.couponDiscountAs).map((l) => l.net),
      })),
      rate: taxRate,
      targetTax: target,
    });
    if (!solution) {
      const groupNet = indices.reduce((sum, i) => sum + nets[i]!, 0);
      const sage = linesTax(
        indices.flatMap((i) => sageLines(components[i]!, nets[i]!, settings.couponDiscountAs).map((l) => l.net)),
        taxRate,
      );
      const computed = sage.tie
        ? `a VAT that is exactly half a penny on some line (Sage may round it either way)`
        : `VAT ${formatMinorUnits(sage.tax)}`;
      return hold(
        taxRate.num === 0 ? 'TAX_RATE_MISMATCH' : 'ROUNDING_UNRESOLVABLE',
        `lines at T${taxCode} (${taxRate.percent}%) have net ${formatMinorUnits(groupNet)}: Sage would compute ${computed}, WooCommerce charged ${formatMinorUnits(target)}, and no choice of penny prices or rounding lines reproduces it`,
        'total_tax',
        order.totalTax,
      );
    }
    indices.forEach((i, k) => (nets[i] = solution.nets[k]!));
    if (solution.roundingLines.length > 0) rounding.push({ taxCode, taxRate, nets: solution.roundingLines });
  }

  const lines = buildLines(components, nets, settings.couponDiscountAs);
  const carriageIndex = pickCarriage(components, nets);
  const carriage = carriageIndex === null ? null : lines[carriageIndex]![0]!;
  const items = lines.filter((_, i) => i !== carriageIndex).flat();
  let moved = 0;
  for (const group of rounding) {
    for (const net of group.nets) {
      moved += net;
      items.push({
        kind: 'rounding',
        source: 'rounding',
        sku: settings.defaultSku,
        name: 'Rounding adjustment',
        quantity: 1,
        unitPrice: net,
        discount: 0,
        net,
        tax: lineTax(net, group.taxRate).tax,
        taxCode: group.taxCode,
        taxRate: group.taxRate,
        nominalCode: settings.nominalCodes.rounding,
      });
    }
    const total = group.nets.reduce((a, b) => a + b, 0);
    warnings.push(
      `${group.nets.length} rounding line(s) of ${formatMinorUnits(total)} at T${group.taxCode} added so that Sage's per-line VAT equals WooCommerce's`,
    );
  }

  const all = carriage ? [...items, carriage] : items;
  const check = sageTotals(all, settings.couponDiscountAs);
  const consistent = all.every((line) => sageLineNet(line, settings.couponDiscountAs) === line.net && Number.isSafeInteger(line.unitPrice));
  if (!consistent || check.ties > 0 || check.net !== targetNet || check.tax !== targetTax) {
    return hold(
      'ROUNDING_UNRESOLVABLE',
      `internal check failed: Sage would compute net ${formatMinorUnits(check.net)} VAT ${formatMinorUnits(check.tax)}, WooCommerce has ${formatMinorUnits(targetNet)} and ${formatMinorUnits(targetTax)}`,
      'total',
      order.total,
    );
  }
  return {
    ok: true,
    priced: {
      currency,
      discountMode: settings.couponDiscountAs,
      items,
      carriage,
      totals: { net: check.net, tax: check.tax, gross: check.gross },
      rounding: moved,
    },
    warnings,
  };
}

/** Where WooCommerce's exact net lies between two pennies, the other penny is as faithful. */
function alternativeNet(exactNet: bigint, chosen: number): number | undefined {
  if (isWholeMinor(exactNet)) return undefined;
  const floor = floorMinor(exactNet);
  if (chosen === floor) return floor + 1;
  if (chosen === floor + 1) return floor;
  return undefined;
}

function groupBy(components: readonly Component[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  components.forEach((c, i) => groups.set(c.taxCode, [...(groups.get(c.taxCode) ?? []), i]));
  return new Map([...groups].sort(([a], [b]) => a - b));
}

/**
 * The VAT each tax code must come to. WooCommerce's own per-rate totals (`tax_lines`, rounded per
 * rate as on its invoice) when they are consistent; otherwise the lines' exact tax, rounded so the
 * codes add up to `total_tax`.
 */
function groupTaxTargets(
  order: OrderToPrice,
  components: readonly Component[],
  targetTax: number,
): { ok: true; byCode: Map<number, number> } | Hold {
  const groups = groupBy(components);
  const codesByRate = new Map<number, Set<number>>();
  for (const c of components) if (c.rateId !== null) codesByRate.set(c.rateId, (codesByRate.get(c.rateId) ?? new Set()).add(c.taxCode));

  const fromTaxLines = new Map<number, number>();
  let usable = order.taxRates.length > 0;
  for (const line of order.taxRates) {
    const amount = roundMinor(exact(line.itemsTax)) + roundMinor(exact(line.shippingTax));
    if (amount === 0) continue;
    const codes = codesByRate.get(line.rateId);
    if (!codes || codes.size !== 1) {
      usable = false;
      break;
    }
    const code = [...codes][0]!;
    fromTaxLines.set(code, (fromTaxLines.get(code) ?? 0) + amount);
  }
  const sum = [...fromTaxLines.values()].reduce((a, b) => a + b, 0);
  if (usable && sum === targetTax) {
    const consistent = [...groups].every(([code, indices]) => {
      const exactTax = indices.reduce((s, i) => s + components[i]!.exactTax, 0n);
      return distanceInMinor(exactTax, exactFromMinor(fromTaxLines.get(code) ?? 0)) <= Math.ceil(indices.length / 2) + 1;
    });
    if (consistent) return { ok: true, byCode: fromTaxLines };
  }

  const codes = [...groups.keys()];
  const exactTaxes = codes.map((code) => groups.get(code)!.reduce((s, i) => s + components[i]!.exactTax, 0n));
  const taxSum = exactTaxes.reduce((a, b) => a + b, 0n);
  if (distanceInMinor(taxSum, exactFromMinor(targetTax)) > codes.length + Math.ceil(components.length / 2)) {
    return hold(
      'TOTALS_MISMATCH',
      `total_tax ${order.totalTax} does not match the tax on its lines, ${formatExact(taxSum)}`,
      'total_tax',
      order.totalTax,
    );
  }
  const allocated = allocateToTotal(exactTaxes, targetTax);
  return { ok: true, byCode: new Map(codes.map((code, k) => [code, allocated[k]!])) };
}

function buildLines(components: readonly Component[], nets: readonly number[], mode: DiscountMode): PricedLine[][] {
  return components.map((c, i) =>
    sageLines(c, nets[i]!, mode).map((fields) => ({
      kind: c.kind,
      source: c.source,
      sku: c.sku,
      name: c.name,
      ...fields,
      tax: lineTax(fields.net, c.taxRate).tax,
      taxCode: c.taxCode,
      taxRate: c.taxRate,
      nominalCode: c.nominalCode,
    })),
  );
}

interface LineFields {
  quantity: number;
  unitPrice: number;
  discount: number;
  net: number;
}

/**
 * The Sage line(s) for a component at a given net. With a coupon and the line-discount field, one
 * line: the list price and the whole line's discount (in `unambiguous` mode only for one unit,
 * where a per-unit and a per-line discount are the same). Otherwise whole-penny unit prices, split
 * in two lines when the net does not divide by the quantity (10.00 for 3 = 2 × 3.33 + 1 × 3.34).
 */
function sageLines(c: Component, net: number, mode: DiscountMode): LineFields[] {
  const list = c.listPrice;
  const wholeLineDiscount = mode === 'lineDiscount' || (mode === 'unambiguous' && c.quantity === 1);
  if (wholeLineDiscount && list !== null && c.quantity * list >= net) {
    return [{ quantity: c.quantity, unitPrice: list, discount: c.quantity * list - net, net }];
  }
  return splitNet(net, c.quantity).map((part) => {
    const partNet = part.quantity * part.unitNet;
    if (list === null || mode !== 'unitDiscount' || list < part.unitNet) {
      return { quantity: part.quantity, unitPrice: part.unitNet, discount: 0, net: partNet };
    }
    return { quantity: part.quantity, unitPrice: list, discount: list - part.unitNet, net: partNet };
  });
}

/** The carriage is the largest shipping component; other shipping (another tax code) goes in as items. */
function pickCarriage(components: readonly Component[], nets: readonly number[]): number | null {
  let best: number | null = null;
  components.forEach((c, i) => {
    if (c.kind === 'shipping' && (best === null || nets[i]! > nets[best]!)) best = i;
  });
  return best;
}

function breakdown(components: readonly Component[]): string {
  const sum = (kind: Component['kind']) => components.filter((c) => c.kind === kind).reduce((s, c) => s + c.exactNet, 0n);
  return `items ${formatExact(sum('product'))}, fees ${formatExact(sum('fee'))}, shipping ${formatExact(sum('shipping'))}`;
}

function hold(code: PricingHold['code'], message: string, field: string, value: string): Hold {
  return { ok: false, hold: { code, message, field, value } };
}
