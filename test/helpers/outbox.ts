import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterEach } from 'vitest';
import { fixedClock } from '../../src/domain/clock.ts';
import { wooOrderFacts } from '../../src/woo/domain-inputs.ts';
import { queueOrderDocuments, type QueueOrderResult } from '../../src/pipeline/queue-documents.ts';
import type { NewAccountInput } from '../../src/sage/customer-xml.ts';
import { DEFAULT_SETTINGS } from '../../src/settings/schema.ts';
import { childElement, childElements, childText, parseXmlTree } from '../../src/sage/xml-tree.ts';
import { parseOrder, type WooOrder } from '../../src/woo/schemas.ts';
import { insertOrderRow } from './factories.ts';
import { buildOrder, type Cart } from './woo-cart.ts';

let nextId = 20_000 + Math.floor(Math.random() * 10_000);

/** A WooCommerce order (as the REST API sends it) and its inbox row in state `allocated`. */
export async function seedOrder(
  db: Knex,
  options: { cart?: Partial<Cart>; customerId?: number; email?: string; payload?: Record<string, unknown> } = {},
): Promise<{ orderId: number; order: WooOrder }> {
  const id = nextId++;
  const base = buildOrder({
    id,
    lines: [{ price: '10.00', quantity: 2, rate: 20 }],
    pricesIncludeTax: false,
    roundAtSubtotal: false,
    shipping: { cost: '3.50', rate: 20 },
    ...options.cart,
  });
  const email = options.email ?? `buyer${id}@example.com`;
  const parsed = parseOrder({
    ...base,
    customer_id: options.customerId ?? 0,
    billing: { ...base.billing, email, first_name: 'Ann', last_name: `Buyer${id}` },
    ...options.payload,
  });
  if (!parsed.ok) throw new Error(parsed.reason);
  await insertOrderRow(db, {
    id,
    state: 'allocated',
    billing_email: email,
    customer_id: options.customerId ?? 0,
    payload: JSON.stringify(parsed.value),
  });
  return { orderId: id, order: parsed.value };
}

/** The new account allocation would reserve for the order's buyer, under `code`. */
export function newAccountFor(order: WooOrder, code: string): NewAccountInput {
  const facts = wooOrderFacts(order, undefined, DEFAULT_SETTINGS);
  if (!facts.ownerKey) throw new Error(`order ${order.id} has no owner for a new account`);
  return { code, ownerKey: facts.ownerKey, details: facts.newAccount };
}

export const testClock = () => fixedClock('2026-11-23T10:15:00.000Z');

export async function queue(
  db: Knex,
  order: { orderId: number; order: WooOrder },
  accountCode: string,
  newAccount?: NewAccountInput | null,
): Promise<QueueOrderResult> {
  return db.transaction((trx) =>
    queueOrderDocuments(trx, {
      orderId: order.orderId,
      order: order.order,
      accountCode,
      newAccount,
      settings: DEFAULT_SETTINGS,
      clock: testClock(),
    }),
  );
}

export function tempOutbox(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-outbox-'));
}

/**
 * For a test file: a function that makes a temporary outbox, every one of them removed after each
 * test. Call it at the file's top level (it registers an afterEach hook).
 */
export function outboxesRemovedAfterEach(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = tempOutbox();
    dirs.push(dir);
    return dir;
  };
}

/** Every file in the outbox folder (not the staging folder), sorted by name. */
export function outboxFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
}

/** The document Ids in a delivered file, by kind. */
export function documentIds(xml: string): { customers: string[]; salesOrders: string[] } {
  const root = parseXmlTree(xml);
  return {
    customers: childElements(childElement(root, 'Customers'), 'Customer').map((c) => childText(c, 'Id')),
    salesOrders: childElements(childElement(root, 'SalesOrders'), 'SalesOrder').map((c) => childText(c, 'Id')),
  };
}
