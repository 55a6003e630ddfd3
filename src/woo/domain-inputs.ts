import { orderFacts } from '../domain/allocation/order-facts.ts';
import type { AllocationSettings, BuyerProfile, OrderAddress, OrderFacts, OrderToAllocate } from '../domain/allocation/types.ts';
import type { ChargedTax, OrderToPrice } from '../domain/pricing/types.ts';
import { metaText, type WooAddress, type WooCustomer, type WooOrder } from './schemas.ts';

/**
 * WooCommerce's REST order (the output of its zod schema, so already checked) as the domain's
 * inputs: what pricing and allocation read, named for what it means. Nothing is parsed or decided
 * here; each field is carried over as it is, once, when the domain is about to use it.
 */

type WooTax = WooOrder['line_items'][number]['taxes'][number];

const chargedTax = (tax: WooTax): ChargedTax => ({ rateId: tax.id, total: tax.total, subtotal: tax.subtotal });
const chargedTaxes = (taxes: readonly WooTax[]): ChargedTax[] => taxes.map(chargedTax);

/** What pricing reads of a WooCommerce order (or of a refund read as one, `refundAsOrder`). */
export function orderToPrice(order: WooOrder): OrderToPrice {
  return {
    id: order.id,
    currency: order.currency,
    total: order.total,
    totalTax: order.total_tax,
    products: order.line_items.map((line) => ({
      name: line.name,
      sku: line.sku,
      productId: line.product_id,
      quantity: line.quantity,
      taxClass: line.tax_class,
      subtotal: line.subtotal,
      total: line.total,
      totalTax: line.total_tax,
      taxes: chargedTaxes(line.taxes),
    })),
    fees: order.fee_lines.map((fee) => ({
      name: fee.name,
      taxClass: fee.tax_class,
      untaxed: fee.tax_status === 'none',
      total: fee.total,
      totalTax: fee.total_tax,
      taxes: chargedTaxes(fee.taxes),
    })),
    shipping: order.shipping_lines.map((ship) => ({
      name: ship.method_title,
      total: ship.total,
      totalTax: ship.total_tax,
      taxes: chargedTaxes(ship.taxes),
    })),
    taxRates: order.tax_lines.map((rate) => ({
      rateId: rate.rate_id,
      label: rate.label,
      ratePercent: rate.rate_percent ?? undefined,
      itemsTax: rate.tax_total,
      shippingTax: rate.shipping_tax_total,
    })),
  };
}

/** A WooCommerce billing or shipping address. */
export function orderAddress(address: WooAddress): OrderAddress {
  return {
    forename: address.first_name,
    surname: address.last_name,
    company: address.company,
    address1: address.address_1,
    address2: address.address_2,
    town: address.city,
    county: address.state,
    postcode: address.postcode,
    country: address.country,
    email: address.email,
    telephone: address.phone,
  };
}

/** What allocation reads of a WooCommerce order; the account code is the order meta `profileMetaKey`. */
export function orderToAllocate(order: WooOrder, profileMetaKey: string): OrderToAllocate {
  return {
    id: order.id,
    customerId: order.customer_id,
    billing: orderAddress(order.billing),
    shipping: orderAddress(order.shipping),
    profileCode: metaText(order.meta_data, profileMetaKey),
  };
}

/** A row of `woo_customers` as the pipeline reads it (profile_code: the trimmed profile meta value). */
export interface WooCustomerRow {
  id: number;
  profile_code: string | null;
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  company?: string | null;
}

/**
 * The buyer's profile as far as it is known: a WooCommerce customer object, a `woo_customers` row,
 * `null` when it was looked for and is missing, `undefined` when nobody supplied profiles.
 */
export type CustomerInput = WooCustomer | WooCustomerRow | null | undefined;

/** A WooCommerce customer (REST object or stored row) as the buyer's profile; null and undefined pass through. */
export function buyerProfile(customer: CustomerInput, profileMetaKey: string): BuyerProfile | null | undefined {
  if (!customer) return customer;
  if ('meta_data' in customer) {
    return {
      id: customer.id,
      profileCode: metaText(customer.meta_data, profileMetaKey),
      company: customer.billing.company,
      surname: customer.last_name || customer.billing.last_name,
      forename: customer.first_name || customer.billing.first_name,
    };
  }
  const code = (customer.profile_code ?? '').trim();
  return {
    id: customer.id,
    profileCode: code === '' ? undefined : code,
    company: customer.company ?? '',
    surname: customer.last_name ?? '',
    forename: customer.first_name ?? '',
  };
}

/** The allocation facts of a WooCommerce order and its buyer's profile (see `buyerProfile`). */
export function wooOrderFacts(order: WooOrder, customer: CustomerInput, settings: Pick<AllocationSettings, 'profileMetaKey'>): OrderFacts {
  return orderFacts(orderToAllocate(order, settings.profileMetaKey), buyerProfile(customer, settings.profileMetaKey));
}
