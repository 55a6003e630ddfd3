import type { Knex } from 'knex';
import { readOrdersCursor } from '../../src/db/cursor.ts';
import type { SandboxStore } from '../../src/sandbox/store.ts';
import { orderContentHash } from '../../src/woo/content-hash.ts';

/**
 * Invariants of the inbox against the store it was filled from. Each returns a list of
 * violations (empty when it holds), so a failing check can say every problem at once, with the
 * seed that produced it.
 */

export interface InboxRow {
  id: number;
  hash: string;
  state: string;
  lastError: string | null;
  customerId: number;
  customerPending: boolean;
}

export async function inboxRows(db: Knex): Promise<Map<number, InboxRow>> {
  const rows = await db('orders').select('id', 'content_hash', 'state', 'last_error', 'customer_id', 'customer_pending');
  return new Map(
    rows.map((r: Record<string, unknown>) => [
      Number(r.id),
      {
        id: Number(r.id),
        hash: String(r.content_hash),
        state: String(r.state),
        lastError: (r.last_error as string | null) ?? null,
        customerId: Number(r.customer_id),
        customerPending: Boolean(Number(r.customer_pending)),
      },
    ]),
  );
}

/**
 * The cursor is never ahead of what was stored: every order the store has now whose modification
 * second is at or before the cursor is in the inbox with its current content. (A run that resumed
 * from the cursor would not read those orders again, so one missing here would be lost.)
 */
export async function cursorViolations(db: Knex, store: SandboxStore): Promise<string[]> {
  const cursor = await readOrdersCursor(db);
  if (!cursor) return [];
  const cursorSec = Math.floor(Date.parse(cursor.modifiedAfter) / 1000);
  const inbox = await inboxRows(db);
  const problems: string[] = [];
  for (const id of store.orderIds()) {
    const sec = store.timeline.secondOf(id);
    if (sec === undefined || sec > cursorSec) continue;
    const row = inbox.get(id);
    const at = new Date(sec * 1000).toISOString();
    if (!row) problems.push(`order ${id} (modified ${at}) is at or before the cursor ${cursor.modifiedAfter} but not in the inbox`);
    else if (row.hash !== orderContentHash(store.getOrder(id)))
      problems.push(`order ${id} (modified ${at}) is at or before the cursor ${cursor.modifiedAfter} but the inbox holds an older version`);
  }
  return problems;
}

/** After a clean run: the inbox holds exactly the store's orders, each at its current content. */
export async function inboxMismatches(db: Knex, store: SandboxStore): Promise<string[]> {
  const inbox = await inboxRows(db);
  const ids = store.orderIds();
  const problems: string[] = [];
  for (const id of ids) {
    const row = inbox.get(id);
    if (!row) problems.push(`order ${id} is in the store but not in the inbox`);
    else if (row.hash !== orderContentHash(store.getOrder(id))) problems.push(`order ${id}: the inbox holds an older version`);
  }
  const known = new Set(ids);
  for (const id of inbox.keys()) if (!known.has(id)) problems.push(`order ${id} is in the inbox but not in the store`);
  const count = Number((await db('orders').count({ n: '*' }).first())?.n);
  if (count !== ids.length) problems.push(`the inbox has ${count} rows for ${ids.length} store orders`);
  return problems;
}

/**
 * Events are not duplicated: each order arrived once, and it has at most one event per version
 * the store ever had of it (`versions`: 1 + the edits made; orders not listed had one version).
 */
export async function eventViolations(db: Knex, versions: ReadonlyMap<number, number>): Promise<string[]> {
  const problems: string[] = [];
  const arrivals = await db('order_events').whereNull('from_state').groupBy('order_id').select('order_id').count({ n: '*' });
  for (const row of arrivals as Array<{ order_id: number; n: number | string }>) {
    if (Number(row.n) !== 1) problems.push(`order ${row.order_id} has ${row.n} arrival events`);
  }
  const counts = await db('order_events').groupBy('order_id').select('order_id').count({ n: '*' });
  for (const row of counts as Array<{ order_id: number; n: number | string }>) {
    const allowed = versions.get(Number(row.order_id)) ?? 1;
    if (Number(row.n) > allowed) problems.push(`order ${row.order_id} has ${row.n} events for ${allowed} version(s)`);
  }
  const orders = Number((await db('orders').count({ n: '*' }).first())?.n);
  if (arrivals.length !== orders) problems.push(`${arrivals.length} orders have an arrival event, ${orders} orders are stored`);
  return problems;
}

/**
 * Freshly polled orders are in a state that makes sense: waiting (no error) or held (with the
 * reason), none still waiting for a profile that was fetched, every logged-in buyer's profile stored.
 */
export async function stateViolations(db: Knex, allowedStates: readonly string[] = ['waiting', 'held']): Promise<string[]> {
  const problems: string[] = [];
  const inbox = await inboxRows(db);
  const customers = new Set(((await db('woo_customers').pluck('id')) as unknown[]).map(Number));
  for (const row of inbox.values()) {
    if (!allowedStates.includes(row.state)) problems.push(`order ${row.id} is ${row.state}`);
    if (row.state === 'held' && !row.lastError) problems.push(`order ${row.id} is held without a reason`);
    if (row.state === 'waiting' && row.lastError) problems.push(`order ${row.id} is waiting with an error: ${row.lastError}`);
    if (row.customerPending) problems.push(`order ${row.id} still waits for customer ${row.customerId}'s profile`);
    if (row.customerId > 0 && !customers.has(row.customerId))
      problems.push(`customer ${row.customerId} of order ${row.id} was never stored`);
  }
  return problems;
}
