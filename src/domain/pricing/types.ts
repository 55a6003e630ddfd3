import type { TaxRate } from './tax-rate.ts';

/**
 * How a coupon discount is written on a Sage line. Zynk's import docs do not say whether
 * `UnitDiscountAmount` is the line's whole discount or a discount per unit (its exports use the
 * line's; its other connectors divide by the quantity), so:
 * - `unambiguous` (the default) writes it only on lines of quantity 1, where both readings agree,
 *   and writes other discounted lines at their discounted price: right under either reading;
 * - `lineDiscount` assumes the per-line reading, `unitDiscount` the per-unit one;
 * - `netPrice` writes the discounted price and no discount at all.
 */
export type DiscountMode = 'unambiguous' | 'lineDiscount' | 'unitDiscount' | 'netPrice';

export type PricedLineKind = 'product' | 'fee' | 'shipping' | 'rounding';

/** One Sage line (an `Item`, or the `Carriage`) with the values the importer will be given. */
export interface PricedLine {
  kind: PricedLineKind;
  /** Where it came from, for messages: "line_items[0]", "fee_lines[1]", "shipping_lines[0]", "rounding". */
  source: string;
  sku: string;
  name: string;
  /** Whole units. */
  quantity: number;
  /** Minor units (pennies), never more precise: Sage multiplies it by the quantity itself. */
  unitPrice: number;
  /** What goes in `UnitDiscountAmount`, in minor units; 0 means none (see DiscountMode). */
  discount: number;
  /** quantity × unitPrice − the discount, in minor units: what Sage will compute. */
  net: number;
  /** The VAT Sage will compute from `net` at the tax code's rate. */
  tax: number;
  taxCode: number;
  taxRate: TaxRate;
  nominalCode: string;
}

export interface PricedTotals {
  net: number;
  tax: number;
  gross: number;
}

/** The money side of a sales order: every line as Sage will see it, and totals equal to WooCommerce's. */
export interface PricedOrder {
  currency: string;
  discountMode: DiscountMode;
  items: PricedLine[];
  carriage: PricedLine | null;
  totals: PricedTotals;
  /** Minor units moved from product lines into explicit rounding lines (0 when none were needed). */
  rounding: number;
}

/** Why an order cannot be priced; names the order, the field and the value so a person can act. */
export interface PricingHold {
  code:
    | 'BAD_QUANTITY'
    | 'BAD_AMOUNT'
    | 'TOTALS_MISMATCH'
    | 'UNMAPPED_TAX_RATE'
    | 'TAX_RATE_MISMATCH'
    | 'MULTIPLE_TAX_RATES'
    | 'MISSING_SKU'
    | 'CODE_TOO_LONG'
    | 'ROUNDING_UNRESOLVABLE'
    | 'NO_LINES'
    | 'BAD_CURRENCY';
  message: string;
  field?: string;
  value?: string;
}

export type PricingResult = { ok: true; priced: PricedOrder; warnings: string[] } | { ok: false; hold: PricingHold };

/**
 * What pricing reads of an order (or of a refund read as one): amounts as decimal text exactly as
 * the shop sent them, parsed exactly here. `src/woo/domain-inputs.ts` maps a WooCommerce order
 * into it; holds still name the shop's fields (`line_items[0].quantity`) so a person can find them.
 */
export interface OrderToPrice {
  id: number;
  /** ISO 4217 code as sent: checked, trimmed and upper-cased when priced. */
  currency: string;
  /** The gross the buyer paid (WooCommerce `total`), and the VAT in it. */
  total: string;
  totalTax: string;
  products: readonly ProductLine[];
  fees: readonly FeeLine[];
  shipping: readonly ShippingLine[];
  /** The shop's per-rate VAT totals, as on its invoice (WooCommerce `tax_lines`). */
  taxRates: readonly OrderTaxRate[];
}

/** The VAT charged on a line at one of the shop's tax rates. */
export interface ChargedTax {
  rateId: number;
  /** After coupons. */
  total: string;
  /** Before coupons, when the shop says. */
  subtotal?: string;
}

export interface ProductLine {
  name: string;
  sku: string;
  productId: number;
  quantity: number;
  /** The shop's tax class; '' is its standard class. */
  taxClass: string;
  /** Net before coupons. */
  subtotal: string;
  /** Net after coupons. */
  total: string;
  totalTax: string;
  taxes: readonly ChargedTax[];
}

export interface FeeLine {
  name: string;
  taxClass: string;
  /** A fee marked not taxable carries no VAT whatever its class. */
  untaxed: boolean;
  total: string;
  totalTax: string;
  taxes: readonly ChargedTax[];
}

export interface ShippingLine {
  /** The shipping method's title, as the buyer saw it. */
  name: string;
  total: string;
  totalTax: string;
  taxes: readonly ChargedTax[];
}

/** One of the shop's tax rates on this order, with what it came to. */
export interface OrderTaxRate {
  rateId: number;
  label: string;
  /** The rate's percentage as the shop states it, when it does. */
  ratePercent: string | number | undefined;
  /** VAT at this rate on the items and fees, and on shipping, rounded per rate by the shop. */
  itemsTax: string;
  shippingTax: string;
}
