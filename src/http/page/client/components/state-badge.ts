import { h } from '../dom.ts';

/** A state name with its colour; the word carries the meaning, the colour only helps. */
export function stateBadge(state: string): HTMLElement {
  return h('span', { className: `badge badge-${state}` }, state);
}

/**
 * An order's state as support reads it: a waiting order whose WooCommerce status is not exported
 * says "not exported" (and why, on hover), never "waiting", which reads as "on its way to Sage".
 */
export function orderStateBadge(order: { state: string; statusNotExported?: boolean; stateLabel?: string }): HTMLElement {
  if (!order.statusNotExported) return stateBadge(order.state);
  return h('span', { className: 'badge badge-not-exported', title: order.stateLabel ?? 'not exported' }, 'not exported');
}
