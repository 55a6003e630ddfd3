import type { Decision } from './types.ts';

/** An order whose payload cannot be read is held, naming the field, and never stops the others. */
export function unreadableOrderDecision(orderId: number | null, problem: string): Decision {
  const reason = `${orderId === null ? 'The order' : `Order ${orderId}`} cannot be read (${problem}), so it is held.`;
  return { rule: 'NONE', accountCode: null, reason, trace: [{ step: 'ORDER', result: 'held', detail: reason }] };
}
