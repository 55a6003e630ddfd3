import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childElement, childElements, childText, parseXmlTree } from '../src/sage/xml-tree.ts';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { runWooSage } from './helpers/cli.ts';
import { hostileFile, hostileOrderPatches, overlay } from './helpers/hostile.ts';

/**
 * The hostile orders through `woo-sage plan --xml-out`, the offline path: one entry per order in
 * input order whatever they hold, and only the two documented files written, inside DIR, whatever
 * order numbers, SKUs or account codes say, even when DIR holds links pointing elsewhere.
 */
let shop: Sandbox;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-hostile-plan-'));
afterAll(async () => {
  await shop?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

let run: { code: number; stdout: string; stderr: string };
let orders: Array<{ id: number }>;
const outside = path.join(root, 'outside.txt');
const xmlOut = path.join(root, 'out');

beforeAll(async () => {
  shop = await startSandbox({ seed: 72, orders: 40, customers: 20, startAt: '2026-01-05T08:00:00Z', secondsPerOrder: 60 });
  const patches = [...hostileOrderPatches().values()];
  orders = patches.map((patch, i) => {
    const id = 1001 + 2 * i;
    return overlay({ ...(shop.store.getOrder(id) as object), status: 'processing', meta_data: [] }, { ...patch, id }) as { id: number };
  });
  const file = (name: string, content: string) => (fs.writeFileSync(path.join(root, name), content), path.join(root, name));
  fs.writeFileSync(outside, 'must stay as it is');
  fs.mkdirSync(xmlOut);
  // A planted link where plan writes: it must be replaced, never followed.
  fs.symlinkSync(outside, path.join(xmlOut, 'customers.xml'));
  run = await runWooSage(
    [
      'plan',
      '--orders',
      file('orders.json', JSON.stringify(orders)),
      '--accounts',
      hostileFile('accounts', 'account-code-traversal.xml'),
      '--xml-out',
      xmlOut,
      '--json',
    ],
    { LOG_LEVEL: 'silent' },
  );
}, 60_000);

describe('hostile orders through woo-sage plan --xml-out', () => {
  it('when every hostile order is planned, then it exits 0 with one entry per order in input order, each with a reason', () => {
    expect(run.code).toBe(0);
    const entries = JSON.parse(run.stdout) as Array<{ orderId: number | null; rule: string; reason: string }>;
    expect(entries.map((e) => e.orderId)).toEqual(orders.map((o) => o.id));
    for (const entry of entries) expect(entry.reason.length).toBeGreaterThan(10);
    expect(entries.every((e) => e.reason.length < 2000)).toBe(true);
  });

  it('when documents would be held, then stderr names each order and field, shortly', () => {
    const held = run.stderr.split('\n').filter(Boolean);
    expect(held.some((line) => /order \d+: line_items\[0\] .*quantity -2/.test(line))).toBe(true);
    expect(held.some((line) => /line_items\[0\]\.sku "SKUSKU/.test(line))).toBe(true);
    expect(held.every((line) => line.length < 1000)).toBe(true);
  });

  it('when the files are written, then only customers.xml and sales-orders.xml appear, both well-formed, and the planted link is replaced, not followed', () => {
    expect(fs.readdirSync(xmlOut).sort()).toEqual(['customers.xml', 'sales-orders.xml']);
    expect(fs.lstatSync(path.join(xmlOut, 'customers.xml')).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(outside, 'utf8')).toBe('must stay as it is');
    expect(fs.readdirSync(root).sort()).toEqual(['orders.json', 'out', 'outside.txt']);
    const customers = parseXmlTree(fs.readFileSync(path.join(xmlOut, 'customers.xml'), 'utf8'));
    const sales = parseXmlTree(fs.readFileSync(path.join(xmlOut, 'sales-orders.xml'), 'utf8'));
    const numbers = childElements(childElement(sales, 'SalesOrders'), 'SalesOrder').map((s) => childText(s, 'CustomerOrderNumber'));
    expect(numbers).toContain('../../../../tmp/woo-sage-pwned');
    expect(childElements(childElement(customers, 'Customers'), 'Customer').length).toBeGreaterThan(5);
    expect(fs.existsSync('/tmp/woo-sage-pwned')).toBe(false);
  });
});
