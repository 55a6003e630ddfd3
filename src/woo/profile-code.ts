import { metaText, type WooMetaData } from './schemas.ts';

export interface ProfileCode {
  /** Trimmed, as found (allocation normalises and validates it). */
  code: string;
  source: 'customer' | 'order';
}

/**
 * The Sage account code an order carries (rule PROFILE): from the logged-in buyer's profile
 * (`profileMetaKey` in the customer's meta_data, as fetched by the poll), else from the same key in
 * the order's own meta_data (where the Woosage plugin copies it at checkout). Guests have no
 * profile, so only their order's meta counts.
 */
export function profileCodeFor(
  order: { customer_id: number; meta_data: readonly WooMetaData[] },
  customer: { profileCode: string | null } | undefined,
  profileMetaKey: string,
): ProfileCode | undefined {
  const fromCustomer = order.customer_id > 0 ? customer?.profileCode?.trim() : undefined;
  if (fromCustomer) return { code: fromCustomer, source: 'customer' };
  const fromOrder = metaText(order.meta_data, profileMetaKey);
  return fromOrder ? { code: fromOrder, source: 'order' } : undefined;
}
