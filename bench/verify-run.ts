/**
 * Checks the work a measured run did, after it has exited: a bench that measures wrong work is
 * worthless. Reads every file the run delivered (as an importer would) and the inbox, and fails
 * unless every eligible order got exactly one sales order whose totals equal the store's, every
 * other eligible order is held with a reason, nothing else was delivered, no file is partial, and
 * each new customer is delivered in a file that sorts before its first sales order.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { STAGING_DIR } from '../src/pipeline/outbox-files.ts';
import { childElement, childElements, childText, parseXmlTree, type XmlElement } from '../src/sage/xml-tree.ts';
import { readSalesOrders, wooMinor } from '../test/helpers/sage-xml.ts';

export interface Verification {
  /** Orders in the inbox (must equal the store's). */
  inbox: number;
  /** Orders in an import status: the ones the run had to export or hold. */
  eligible: number;
  salesOrders: number;
  customers: number;
  held: number;
  files: number;
  /** One hash over every delivered document (by order id / account): equal runs wrote equal documents. */
  documentsDigest: string;
}

const digestOf = (element: XmlElement) => createHash('sha256').update(JSON.stringify(element)).digest('base64url');

export async function verifyRun(
  db: Knex,
  outboxDir: string,
  expected: { orders: number; importStatuses: readonly string[] },
): Promise<Verification> {
  const problems: string[] = [];
  const fail = (message: string) => {
    if (problems.length < 20) problems.push(message);
  };
  const staging = path.join(outboxDir, STAGING_DIR);
  const leftovers = fs.existsSync(staging) ? fs.readdirSync(staging) : [];
  if (leftovers.length > 0) fail(`${leftovers.length} file(s) left in the staging folder, e.g. ${leftovers[0]}`);
  const names = fs.readdirSync(outboxDir).filter((n) => n !== STAGING_DIR);
  for (const n of names.filter((n) => !/^\d{8}-\d{8}T\d{6}Z-(customers|sales-orders)\.xml$/.test(n))) fail(`unexpected file ${n}`);

  const salesOrders = new Map<number, { gross: bigint; tax: bigint; account: string; digest: string }>();
  const customers = new Map<string, string>();
  const files = names.filter((n) => n.endsWith('.xml')).sort();
  for (const name of files) {
    const xml = fs.readFileSync(path.join(outboxDir, name), 'utf8');
    if (name.endsWith('-customers.xml')) {
      for (const customer of childElements(childElement(parseXmlTree(xml), 'Customers'), 'Customer')) {
        const id = childText(customer, 'Id');
        if (customers.has(id)) fail(`customer ${id} delivered twice`);
        customers.set(id, `${childText(customer, 'AccountReference')}:${digestOf(customer)}`);
      }
      continue;
    }
    for (const so of readSalesOrders(xml)) {
      const id = Number(so.id);
      if (salesOrders.has(id)) fail(`order ${id}: sales order delivered twice`);
      const customerId = childText(so.element, 'CustomerId');
      if (customerId && !customers.has(customerId)) fail(`order ${id}: its new customer ${customerId} was not delivered before it`);
      salesOrders.set(id, { gross: so.gross, tax: so.tax, account: so.accountReference, digest: digestOf(so.element) });
    }
  }

  let inbox = 0;
  let eligible = 0;
  let held = 0;
  let delivered = 0;
  const statuses = new Set(expected.importStatuses);
  for (let after = -1; ;) {
    const rows = await db('orders')
      .where('id', '>', after)
      .orderBy('id')
      .limit(2000)
      .select('id', 'status', 'state', 'total_minor', 'account_code', 'last_error', 'payload');
    if (rows.length === 0) break;
    after = Number(rows.at(-1).id);
    for (const row of rows) {
      inbox++;
      const id = Number(row.id);
      const so = salesOrders.get(id);
      if (!statuses.has(String(row.status))) {
        if (so) fail(`order ${id} (${row.status}) is not in an import status but was delivered`);
        continue;
      }
      eligible++;
      if (row.state === 'held') {
        held++;
        if (!row.last_error) fail(`order ${id} is held without a reason`);
        if (so) fail(`order ${id} is held but was delivered`);
        continue;
      }
      if (row.state !== 'delivered') fail(`order ${id} is ${row.state}, not delivered or held`);
      if (!so) {
        fail(`order ${id} (${row.state}) has no sales order in the outbox`);
        continue;
      }
      delivered++;
      const payload = JSON.parse(String(row.payload)) as { total: string; total_tax: string };
      if (so.gross !== wooMinor(payload.total) || so.gross !== BigInt(row.total_minor))
        fail(`order ${id}: Sage gross ${so.gross} ≠ WooCommerce total ${payload.total}`);
      if (so.tax !== wooMinor(payload.total_tax)) fail(`order ${id}: Sage VAT ${so.tax} ≠ WooCommerce total_tax ${payload.total_tax}`);
      if (so.account !== row.account_code) fail(`order ${id}: AccountReference ${so.account} ≠ allocated ${row.account_code}`);
    }
  }
  if (inbox !== expected.orders) fail(`the inbox holds ${inbox} orders, the store ${expected.orders}`);
  if (delivered !== salesOrders.size) fail(`${salesOrders.size} sales orders in the outbox, ${delivered} orders delivered`);
  if (delivered === 0) fail('nothing was delivered');
  if (problems.length > 0) throw new Error(`the run did the wrong work:\n  ${problems.join('\n  ')}`);

  if (process.env.BENCH_DUMP) {
    const out = [...salesOrders].map(([id, v]) => `${id} ${v.account} ${v.digest}`).concat([...customers].map(([id, v]) => `${id} ${v}`));
    fs.writeFileSync(`${process.env.BENCH_DUMP}-${Date.now()}.txt`, out.sort().join('\n'));
  }
  const digest = createHash('sha256');
  for (const id of [...salesOrders.keys()].sort((a, b) => a - b)) digest.update(`${id}=${salesOrders.get(id)!.digest};`);
  for (const id of [...customers.keys()].sort()) digest.update(`${id}=${customers.get(id)};`);
  return {
    inbox,
    eligible,
    salesOrders: salesOrders.size,
    customers: customers.size,
    held,
    files: files.length,
    documentsDigest: digest.digest('base64url').slice(0, 16),
  };
}
