import type { Knex } from 'knex';
import { findCodesWithPrefix, loadMirrorSlice } from '../db/account-mirror.ts';
import { loadManualAccounts } from '../db/manual-accounts.ts';
import { sageAccountsKnown } from '../db/sage-accounts-known.ts';
import { InMemoryMirror } from '../domain/allocation/in-memory-mirror.ts';
import { codesNamedBy, withChoices, type ManualChoices } from '../domain/allocation/order-facts.ts';
import { wooOrderFacts, type WooCustomerRow } from '../woo/domain-inputs.ts';
import type { TraceStep } from '../domain/allocation/types.ts';
import { unreadableOrderDecision } from '../domain/allocation/unreadable.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { OrderState } from '../domain/order-state.ts';
import { draftSettings } from '../settings/store.ts';
import { parseOrder } from '../woo/schemas.ts';
import { planOrders, type PlanEntry } from './plan-orders.ts';

export interface OrderPreview {
  orderId: number;
  rule: PlanEntry['rule'];
  accountCode: string | null;
  reason: string;
  trace: TraceStep[];
  /** The order's state in the connector now. */
  orderState: OrderState;
  /** What the preview means for this order (already exported, held until reprocessed, not exported at all). */
  note: string | null;
}

// States in which the order's account is settled: its sales order has been (or is being) handed to Sage.
const EXPORTED: readonly OrderState[] = ['queued', 'delivered', 'imported'];

/**
 * "What would happen to order N with these settings": the decision `plan` makes for an inbox
 * order under settings that are not saved. Read-only: the part of the mirror the order can touch
 * is loaded into memory (its profile code, email and owner, and the codes sharing a new code's
 * letters, so a NEW code is the one a real run would reserve now) and nothing is written.
 */
export async function previewOrder(db: Knex, orderId: number, settingsPatch: Record<string, unknown>): Promise<OrderPreview> {
  const row = await db('orders').where({ id: orderId }).first('id', 'state', 'payload', 'account_code');
  if (!row) throw new NotFoundError(`order ${orderId} is not in the inbox; only orders read from the store can be previewed`, { orderId });
  const settings = await draftSettings(db, settingsPatch);
  const state = String(row.state) as OrderState;

  let payload: unknown;
  try {
    payload = JSON.parse(String(row.payload));
  } catch {
    const decision = unreadableOrderDecision(orderId, 'the stored WooCommerce payload is not valid JSON');
    return { orderId, ...decision, orderState: state, note: null };
  }
  const parsed = parseOrder(payload);
  const customers = new Map<number, WooCustomerRow>();
  let base = new InMemoryMirror();
  // What a sync would read besides the order: a person's choices and whether Sage's accounts are known.
  let manual: ManualChoices = { assigned: new Map(), emailLinks: new Map() };
  const context = { sageAccountsKnown: await sageAccountsKnown(db) };
  if (parsed.ok) {
    const order = parsed.value;
    let customer: WooCustomerRow | null | undefined;
    if (order.customer_id > 0) {
      customer =
        ((await db('woo_customers')
          .where({ id: order.customer_id })
          .first('id', 'profile_code', 'email', 'first_name', 'last_name', 'company')) as WooCustomerRow | undefined) ?? null;
      if (customer) customers.set(order.customer_id, { ...customer, id: Number(customer.id) });
    }
    const plain = wooOrderFacts(order, customer ? { ...customer, id: Number(customer.id) } : customer, settings);
    manual = await loadManualAccounts(db, [orderId], plain.billingEmail ? [plain.billingEmail] : []);
    const facts = withChoices(plain, manual);
    base = await loadMirrorSlice(db, {
      codes: codesNamedBy(facts),
      email: facts.billingEmail,
      ownerKey: facts.ownerKey,
    });
  }

  // A NEW code is the lowest free one of its letters: learn which are taken, then decide again.
  const taken = new Set<string>();
  const loadedPrefixes = new Set<string>();
  let entry: PlanEntry;
  for (;;) {
    const mirror = new InMemoryMirror(base.all());
    for (const code of taken) mirror.markTaken(code);
    entry = planOrders({ orders: [payload], customers, mirror, settings, manual, context }).entries[0]!;
    if (entry.rule !== 'NEW' || !entry.accountCode || base.byCode(entry.accountCode)) break;
    const prefix = entry.accountCode.replace(/[0-9]+$/, '') || entry.accountCode.slice(0, 1);
    if (loadedPrefixes.has(prefix)) break;
    loadedPrefixes.add(prefix);
    for (const code of await findCodesWithPrefix(db, prefix)) taken.add(code);
  }

  return {
    orderId,
    rule: entry.rule,
    accountCode: entry.accountCode,
    reason: entry.reason,
    trace: entry.trace ?? [],
    orderState: state,
    note: noteFor(orderId, state, row.account_code ?? null, parsed.ok ? parsed.value.status : null, settings.importStatuses),
  };
}

function noteFor(orderId: number, state: OrderState, exportedWith: string | null, status: string | null, importStatuses: string[]) {
  if (EXPORTED.includes(state)) {
    return `Order ${orderId} is already ${state}${exportedWith ? ` with account ${exportedWith}` : ''}: new settings no longer change it.`;
  }
  if (status !== null && !importStatuses.includes(status)) {
    return `Its WooCommerce status "${status}" is not one of the statuses to export (${importStatuses.join(', ')}), so it would not be exported.`;
  }
  if (state === 'held') return `Order ${orderId} is held: after saving, reprocess it to apply the new settings.`;
  return null;
}
