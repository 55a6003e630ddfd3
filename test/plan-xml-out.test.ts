import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childElement, childElements, childText, parseXmlTree } from '../src/sage/xml-tree.ts';
import { runWooSage } from './helpers/cli.ts';
import { readSalesOrders, wooMinor } from './helpers/sage-xml.ts';

const docs = (name: string) => path.join(import.meta.dirname, 'fixtures/woo-docs', name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-xml-out-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const env = { DATABASE_URL: `sqlite:${path.join(tmp, 'never', 'created.sqlite')}` };

// The REST docs' example store charges 7.5% (tax rate id 75) on items and nothing on shipping.
const rates = { '0': '0', '1': '20', '2': '0', '3': '7.5', '5': '5', '9': '0' };
const settings = path.join(tmp, 'settings.json');
fs.writeFileSync(settings, JSON.stringify({ taxCodes: { byRateId: { '75': 3 } }, sageTaxRates: rates }));

describe('woo-sage plan --xml-out', () => {
  it("when the plan has new accounts and allocated orders, then customers.xml and sales-orders.xml hold them and every total equals the order's", async () => {
    const out = path.join(tmp, 'out');
    const result = await runWooSage(
      ['plan', '--json', '--orders', docs('orders.json'), '--accounts', docs('accounts.xml'), '--settings', settings, '--xml-out', out],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('not written');
    // The docs' products have no SKU; 15.00 and 3.00 at 7.5% are exact half pennies (1.125, 0.225)
    // that Sage may round either way, so order 728 gets an explicit rounding line instead.
    expect(result.stderr).toContain('order 727: line_items[0] "Woo Single #1" has no SKU; product code S1 used');
    expect(result.stderr).toContain('order 728: 1 rounding line(s) of 0.07 at T3 added');
    const plan = JSON.parse(result.stdout) as Array<{ orderId: number; rule: string; accountCode: string | null }>;
    const customers = childElements(
      childElement(parseXmlTree(fs.readFileSync(path.join(out, 'customers.xml'), 'utf8')), 'Customers'),
      'Customer',
    );
    expect(customers.map((c) => childText(c, 'AccountReference'))).toEqual(
      plan
        .filter((p) => p.rule === 'NEW')
        .map((p) => p.accountCode)
        .filter((c, i, all) => all.indexOf(c) === i),
    );
    const orders = JSON.parse(fs.readFileSync(docs('orders.json'), 'utf8')) as Array<{ id: number; total: string; total_tax: string }>;
    const imported = readSalesOrders(fs.readFileSync(path.join(out, 'sales-orders.xml'), 'utf8'), { rates });
    expect(imported.map((o) => Number(o.id))).toEqual(plan.filter((p) => p.accountCode).map((p) => p.orderId));
    for (const so of imported) {
      const order = orders.find((o) => String(o.id) === so.id)!;
      expect([so.gross, so.tax]).toEqual([wooMinor(order.total), wooMinor(order.total_tax)]);
      expect(so.accountReference).toBe(plan.find((p) => String(p.orderId) === so.id)!.accountCode);
    }
    expect(fs.readdirSync(out).sort()).toEqual(['customers.xml', 'sales-orders.xml']);
  });

  it("when an order's tax rate has no Sage code, then its document is left out and the reason goes to stderr; the plan is unchanged", async () => {
    const out = path.join(tmp, 'unmapped');
    const result = await runWooSage(['plan', '--json', '--orders', docs('orders.json'), '--xml-out', out], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('not written: order 727: line_items[0] "Woo Single #1": WooCommerce tax rate id 75');
    expect(JSON.parse(result.stdout)).toHaveLength(4);
    const written = readSalesOrders(fs.readFileSync(path.join(out, 'sales-orders.xml'), 'utf8'));
    expect(written.map((o) => o.id)).toEqual(['723']);
  });
});
