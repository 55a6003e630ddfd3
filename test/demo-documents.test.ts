import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { childElement, childElements, childText, parseXmlTree } from '../src/sage/xml-tree.ts';
import { runWooSage } from './helpers/cli.ts';
import { CONTACT_ORDER, inSchemaOrder, ITEM_ORDER, readSalesOrders, SALES_ORDER_ORDER, wooMinor } from './helpers/sage-xml.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describeEachDialect('demo documents', (ctx) => {
  it("when the demo syncs the sandbox shop, then every file it writes is a well-formed Company document in schema order whose totals equal the shop's orders to the penny", async () => {
    const { db, url } = ctx();
    const outbox = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-demo-outbox-'));
    dirs.push(outbox);
    const run = await runWooSage(['demo', '--no-serve', '--orders', '200'], { LOG_LEVEL: 'silent', DATABASE_URL: url, OUTBOX_DIR: outbox });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/process: queued \d+/);
    expect(run.stdout).toMatch(/deliver: documents \d+, files \d+, errors 0/);

    const files = fs
      .readdirSync(outbox)
      .filter((f) => f.endsWith('.xml'))
      .sort();
    expect(files.length).toBeGreaterThan(0);
    const customersSeen = new Set<string>();
    const ordersSeen = new Set<string>();
    for (const name of files) {
      expect(name).toMatch(/^\d{8}-\d{8}T\d{6}Z-(customers|sales-orders)\.xml$/);
      const xml = fs.readFileSync(path.join(outbox, name), 'utf8');
      const root = parseXmlTree(xml);
      expect(root.name).toBe('Company');
      if (name.endsWith('customers.xml')) {
        expect(root.children.map((c) => c.name)).toEqual(['Customers']);
        for (const customer of childElements(childElement(root, 'Customers'), 'Customer')) {
          expect(childText(customer, 'AccountReference')).toMatch(/^[A-Z0-9]{1,8}$/);
          expect(
            inSchemaOrder(
              childElement(customer, 'CustomerInvoiceAddress')!.children.map((c) => c.name),
              CONTACT_ORDER,
            ),
          ).toBe(true);
          customersSeen.add(childText(customer, 'Id'));
        }
        continue;
      }
      expect(root.children.map((c) => c.name)).toEqual(['SalesOrders']);
      for (const imported of readSalesOrders(xml)) {
        const so = imported.element;
        expect(
          inSchemaOrder(
            so.children.map((c) => c.name),
            SALES_ORDER_ORDER,
          ),
        ).toBe(true);
        for (const item of childElements(childElement(so, 'SalesOrderItems'), 'Item'))
          expect(
            inSchemaOrder(
              item.children.map((c) => c.name),
              ITEM_ORDER,
            ),
          ).toBe(true);
        const row = await db('orders')
          .where({ id: Number(imported.id) })
          .first('payload', 'account_code');
        const order = JSON.parse(row.payload) as { total: string; total_tax: string };
        expect([imported.id, imported.gross, imported.tax]).toEqual([imported.id, wooMinor(order.total), wooMinor(order.total_tax)]);
        expect(imported.ties).toBe(0);
        expect(imported.accountReference).toBe(row.account_code);
        // A new customer is always in a file that sorts before its first sales order.
        const customerId = childText(so, 'CustomerId');
        if (customerId) expect(customersSeen.has(customerId), `${imported.id} needs ${customerId}`).toBe(true);
        expect(ordersSeen.has(imported.id)).toBe(false);
        ordersSeen.add(imported.id);
      }
    }
    const delivered = await db('orders').where({ state: 'delivered' }).count({ n: '*' });
    expect(Number(delivered[0]!.n)).toBe(ordersSeen.size);

    // The books of the demo balance: every order is in Sage or accounted for, to the penny.
    const books = await runWooSage(['books', '--json'], { LOG_LEVEL: 'silent', DATABASE_URL: url, OUTBOX_DIR: outbox });
    expect(books.code, books.stderr).toBe(0);
    const ledger = JSON.parse(books.stdout);
    expect(ledger.balanced).toBe(true);
    expect(ledger.totals.differenceMinor).toBe(0);
    expect(ledger.totals.orders).toBe(200);
    expect(ledger.totals.sageGrossMinor).toBeGreaterThan(0);
  });
});
