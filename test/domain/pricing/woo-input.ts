import type { OrderToPrice } from '../../../src/domain/pricing/types.ts';
import { orderToPrice } from '../../../src/woo/domain-inputs.ts';
import { parseOrder } from '../../../src/woo/schemas.ts';

/** A WooCommerce order payload, parsed as the poll parses it, as the pricing's input. */
export function pricingInput(payload: Record<string, unknown>): OrderToPrice {
  const parsed = parseOrder(payload);
  if (!parsed.ok) throw new Error(parsed.reason);
  return orderToPrice(parsed.value);
}

/** One WooCommerce line item: a 10.00 mug at 20 % VAT, with these fields changed. */
export function wooLine(over: Record<string, unknown>): Record<string, unknown> {
  return {
    id: 1,
    name: 'Mug',
    product_id: 10,
    quantity: 1,
    tax_class: '',
    subtotal: '10.00',
    subtotal_tax: '2.00',
    total: '10.00',
    total_tax: '2.00',
    taxes: [{ id: 1, total: '2', subtotal: '2' }],
    sku: 'MUG-1',
    ...over,
  };
}
