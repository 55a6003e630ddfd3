import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { documentIds, outboxFiles } from './outbox.ts';

/** A delivered file's name: batch stem, then what it holds; names sort in delivery order. */
export const DELIVERED_FILE = /^\d{8}-\d{8}T\d{6}Z-(customers|sales-orders)\.xml$/;

export interface OutboxContent {
  /** SalesOrder/Id → how many times it appears across every file. */
  salesOrders: Map<string, number>;
  customers: Map<string, number>;
  problems: string[];
}

/**
 * Reads every file an importer would see in OUTBOX_DIR with a real XML parser: each must be a
 * complete, well-formed Company document under a delivery name (a partial or stray file is a
 * problem), and each document Id is counted across all of them.
 */
export function readOutbox(dir: string): OutboxContent {
  const content: OutboxContent = { salesOrders: new Map(), customers: new Map(), problems: [] };
  for (const name of outboxFiles(dir)) {
    if (!DELIVERED_FILE.test(name)) {
      content.problems.push(`unexpected file in the outbox: ${name}`);
      continue;
    }
    let ids: { customers: string[]; salesOrders: string[] };
    try {
      ids = documentIds(fs.readFileSync(path.join(dir, name), 'utf8'));
    } catch (err) {
      content.problems.push(`${name} is not a complete XML document: ${(err as Error).message}`);
      continue;
    }
    if (ids.customers.length + ids.salesOrders.length === 0) content.problems.push(`${name} holds no document`);
    for (const id of ids.salesOrders) content.salesOrders.set(id, (content.salesOrders.get(id) ?? 0) + 1);
    for (const id of ids.customers) content.customers.set(id, (content.customers.get(id) ?? 0) + 1);
  }
  for (const [id, n] of content.salesOrders) if (n > 1) content.problems.push(`sales order ${id} was delivered ${n} times`);
  for (const [id, n] of content.customers) if (n > 1) content.problems.push(`customer ${id} was delivered ${n} times`);
  return content;
}

/**
 * After a final clean run: every delivered order has exactly one sales order in the outbox and
 * every sales order in the outbox belongs to a delivered order; nothing is left queued.
 */
export async function deliveryViolations(db: Knex, dir: string): Promise<string[]> {
  const outbox = readOutbox(dir);
  const problems = [...outbox.problems];
  const orders = await db('orders').select('id', 'state');
  const delivered = new Set(orders.filter((o: { state: string }) => o.state === 'delivered').map((o: { id: number }) => String(o.id)));
  for (const o of orders as Array<{ id: number; state: string }>) {
    if (['queued', 'allocated'].includes(o.state)) problems.push(`order ${o.id} is still ${o.state}`);
  }
  for (const id of delivered) if (!outbox.salesOrders.has(id)) problems.push(`order ${id} is delivered but its sales order is in no file`);
  for (const id of outbox.salesOrders.keys())
    if (!delivered.has(id)) problems.push(`sales order ${id} is in the outbox but its order is not delivered`);
  const jobs = await db('export_jobs').whereNotIn('state', ['delivered']).select('id', 'kind', 'state', 'order_id');
  for (const job of jobs) problems.push(`export job ${job.id} (${job.kind}, order ${job.order_id}) is ${job.state}`);
  return problems;
}

/**
 * Each order's history is one unbroken chain: it starts with its arrival, every event starts where
 * the one before ended, it ends in the order's state, and the order was delivered at most once. A
 * doubled transition breaks the chain.
 */
export async function eventChainViolations(db: Knex): Promise<string[]> {
  const problems: string[] = [];
  const states = new Map(
    ((await db('orders').select('id', 'state')) as Array<{ id: number; state: string }>).map((o) => [Number(o.id), o.state]),
  );
  const events = (await db('order_events').orderBy(['order_id', 'id']).select('order_id', 'from_state', 'to_state')) as Array<{
    order_id: number;
    from_state: string | null;
    to_state: string;
  }>;
  const byOrder = new Map<number, typeof events>();
  for (const e of events) byOrder.set(Number(e.order_id), [...(byOrder.get(Number(e.order_id)) ?? []), e]);
  for (const [id, state] of states) {
    const chain = byOrder.get(id) ?? [];
    if (chain.length === 0 || chain[0]!.from_state !== null) {
      problems.push(`order ${id} has no arrival event first`);
      continue;
    }
    chain.forEach((e, i) => {
      if (i > 0 && e.from_state === null) problems.push(`order ${id} arrived twice`);
      if (i > 0 && e.from_state !== chain[i - 1]!.to_state)
        problems.push(`order ${id}: event ${i + 1} goes ${e.from_state} → ${e.to_state} after ${chain[i - 1]!.to_state}`);
    });
    if (chain.at(-1)!.to_state !== state) problems.push(`order ${id} is ${state} but its history ends in ${chain.at(-1)!.to_state}`);
    const deliveries = chain.filter((e) => e.to_state === 'delivered' && e.from_state !== 'delivered').length;
    if (deliveries > 1) problems.push(`order ${id} was delivered ${deliveries} times`);
  }
  return problems;
}
