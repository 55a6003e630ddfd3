/**
 * An order's life in the connector:
 * received → held | waiting (settle) → allocated → queued → delivered → imported,
 * with failed and cancelled. Every transition is recorded with its reason.
 */
export const ORDER_STATES = ['received', 'held', 'waiting', 'allocated', 'queued', 'delivered', 'imported', 'failed', 'cancelled'] as const;

export type OrderState = (typeof ORDER_STATES)[number];

/** States from which a sales order has already left for Sage: a later change needs a person. */
export const EXPORTED_STATES: readonly OrderState[] = ['delivered', 'imported'];

export function isOrderState(value: string): value is OrderState {
  return (ORDER_STATES as readonly string[]).includes(value);
}
