import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SyncSummary } from '../src/pipeline/sync-summary.ts';
import { childElement, childElements, childText, type XmlElement } from '../src/sage/xml-tree.ts';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { runWooSage } from './helpers/cli.ts';
import {
  deliveredDocuments,
  hostileFile,
  hostileOrderPatches,
  outcomes,
  overlay,
  syncAndExport,
  type DeliveredDocuments,
  type Outcome,
} from './helpers/hostile.ts';
import { tempOutbox } from './helpers/outbox.ts';
import { readOutbox } from './helpers/outbox-invariants.ts';
import { wooMinor } from './helpers/sage-xml.ts';
import { resetInbox, syncOnce } from './helpers/sync.ts';
import { describeEachDialect } from './helpers/test-db.ts';

/**
 * Every hostile order of test/fixtures/hostile/orders laid over a real order of a sandbox shop,
 * driven through the real path (sandbox → HTTP client → sync: poll → allocate and queue the
 * documents → deliver them to the outbox folder), next to ordinary orders. Each either gets a
 * correct document (read back with an XML parser, totals equal to the shop's to the penny) or is
 * held with an error naming the order, the field and the value; the ordinary orders get exactly
 * what they get in a run of the same shop without the hostile ones.
 */
type Check = (order: XmlElement, customer: XmlElement | undefined) => void;
type Expected = { state: 'delivered'; rule: string; code: string; check?: Check } | { state: 'held'; error: RegExp; code?: string };

const text = (element: XmlElement | undefined, ...names: string[]): string => {
  let current = element;
  for (const name of names.slice(0, -1)) current = childElement(current, name);
  return childText(current, names.at(-1)!);
};
const firstItem = (order: XmlElement) => childElements(childElement(order, 'SalesOrderItems'), 'Item')[0];
const charCount = (s: string) => Array.from(s).length;

const EXPECTED: Record<string, Expected> = {
  'xml-metacharacters': {
    state: 'delivered',
    rule: 'NEW',
    code: 'ACMELT01',
    check: (order, customer) => {
      expect(text(order, 'CustomerOrderNumber')).toBe('<1&2>]]>');
      expect(text(order, 'SalesOrderAddress', 'Company')).toBe('<Acme> & ]]> Ltd');
      expect(text(order, 'SalesOrderAddress', 'Forename')).toBe('<b>Ann</b>');
      expect(text(order, 'SalesOrderAddress', 'Address1')).toBe('1 <High> St & ]]>');
      expect(text(order, 'SalesOrderDeliveryAddress', 'Forename')).toBe(']]>');
      // WooCommerce's HTML escaping is undone once: "&amp;amp;" is a typed "&amp;".
      expect(text(order, 'SalesOrderDeliveryAddress', 'Company')).toBe('<Decoded once> &amp;');
      expect(text(order, 'SalesOrderDeliveryAddress', 'Address1')).toBe('<![CDATA[');
      expect(text(firstItem(order), 'Sku')).toBe('SKU<&>]]>');
      expect(text(firstItem(order), 'Name')).toBe('Widget <XL> & "Co" ]]>');
      expect(text(order, 'Notes1')).toMatch(/^Leave by the <door> & "ring" 'twice' ]]>/);
      expect(text(customer, 'CompanyName')).toBe('<Acme> & ]]> Ltd');
    },
  },
  'control-characters': {
    state: 'delivered',
    rule: 'NEW',
    code: 'NULBYT01',
    // Characters XML 1.0 forbids are dropped; everything else is kept.
    check: (order) => {
      expect(text(order, 'SalesOrderAddress', 'Forename')).toBe('Ann');
      expect(text(order, 'SalesOrderAddress', 'Surname')).toBe('CtrlBell');
      expect(text(order, 'SalesOrderAddress', 'Company')).toBe('NulByte Ltd\u007f');
      expect(text(firstItem(order), 'Sku')).toBe('SKUX');
    },
  },
  'emoji-rtl': {
    state: 'delivered',
    rule: 'NEW',
    code: 'DLROWO01',
    check: (order) => {
      expect(text(order, 'SalesOrderAddress', 'Forename')).toBe('😀\u200d🔥');
      expect(text(order, 'SalesOrderAddress', 'Surname')).toBe('محمد');
      expect(text(order, 'SalesOrderAddress', 'Company')).toBe('\u202edlrow olleh\u202c');
      expect(text(firstItem(order), 'Name')).toBe('🎁 هدية \u2067isolate\u2069');
    },
  },
  'long-names': {
    state: 'delivered',
    rule: 'NEW',
    code: 'ENORMO01',
    // Free text is cut to Sage's field lengths (with a warning), never beyond.
    check: (order) => {
      expect(text(order, 'SalesOrderAddress', 'Company')).toMatch(/^Enormous Trading Company/);
      expect(charCount(text(order, 'SalesOrderAddress', 'Company'))).toBeLessThanOrEqual(60);
      expect(charCount(text(order, 'SalesOrderAddress', 'Address1'))).toBeLessThanOrEqual(60);
      expect(charCount(text(firstItem(order), 'Name'))).toBeLessThanOrEqual(60);
      expect(charCount(text(order, 'Notes3'))).toBeLessThanOrEqual(60);
    },
  },
  'long-sku': {
    state: 'held',
    code: 'LONGSK01',
    error: /^order \d+: line_items\[0\]\.sku "SKUSKU[^"]{0,80}" is 10240 characters; Sage allows 30 and a code is never shortened$/,
  },
  'negative-quantity': {
    state: 'held',
    code: 'NEGATI01',
    error: /^order \d+: line_items\[0\] "[^"]+": quantity -2 is not a whole number of at least 1$/,
  },
  'fractional-quantity': {
    state: 'held',
    code: 'FRACTI01',
    error: /^order \d+: line_items\[0\] "[^"]+": quantity 1\.5 is not a whole number of at least 1$/,
  },
  'zero-total': { state: 'delivered', rule: 'NEW', code: 'ZEROTO01', check: (order) => expect(text(order, 'PaymentAmount')).toBe('') },
  'absurd-total': { state: 'held', error: /^order \d+ cannot be used: total: is too large an amount \(got "123456789012345678\.99"\)$/ },
  'exponent-total': { state: 'held', error: /^order \d+ cannot be used: total: is not a decimal amount \(got 1e\+21\)$/ },
  'missing-billing': {
    state: 'held',
    error: /the order has no billing email, a guest without a valid billing email cannot be given a new account/,
  },
  'numbers-as-strings': { state: 'delivered', rule: 'NEW', code: 'NUMBER01' },
  'strings-as-numbers': {
    state: 'delivered',
    rule: 'NEW',
    code: '2468001',
    check: (order) => {
      expect(text(order, 'CustomerOrderNumber')).toBe('5001');
      expect(text(order, 'SalesOrderAddress', 'Postcode')).toBe('90210');
      expect(text(order, 'SalesOrderAddress', 'Company')).toBe('24680');
      expect(text(firstItem(order), 'Sku')).toBe('1234567');
    },
  },
  'status-not-text': { state: 'held', error: /^order \d+ cannot be used: status: .*expected string, received number \(got 1\)$/ },
  'quantity-not-number': {
    state: 'held',
    error: /^order \d+ cannot be used: line_items\.0\.quantity: must be a number \(got "two"\)$/,
  },
  'path-traversal-code': {
    state: 'held',
    error: /^The account code "\.\.\/EVIL" in the order's meta sage_account_code is not a valid Sage account code/,
  },
  // Paths in the order number, SKU and names are text in the document, nothing more.
  'path-traversal-names': {
    state: 'delivered',
    rule: 'NEW',
    code: 'ETCPAS01',
    check: (order) => {
      expect(text(order, 'CustomerOrderNumber')).toBe('../../../../tmp/woo-sage-pwned');
      expect(text(firstItem(order), 'Sku')).toBe('../../etc/passwd');
      expect(text(order, 'SalesOrderDeliveryAddress', 'Company')).toBe('..\\..\\windows\\win.ini');
    },
  },
  'huge-profile-code': {
    state: 'held',
    error: /^The account code "X{20,80}…" \(70000 characters\) in the order's meta sage_account_code is not a valid Sage account code/,
  },
  // Shop values named like Object.prototype members are data: looked up as own keys, not found, defaults apply.
  'property-names': {
    state: 'delivered',
    rule: 'NEW',
    code: 'PROTON01',
    check: (order) => {
      expect(text(firstItem(order), 'Sku')).toBe('constructor');
      expect(text(firstItem(order), 'NominalCode')).toBe('4000');
      expect(text(firstItem(order), 'TaxCode')).toBe('1');
      expect(text(order, 'BankAccount')).toBe('1200');
      expect(text(order, 'PaymentRef')).not.toBe('');
    },
  },
  // Decoded once, as WordPress encodes once; what XML cannot carry is dropped.
  'html-entity-tricks': {
    state: 'delivered',
    rule: 'NEW',
    code: 'TOMAMP01',
    check: (order) => expect(text(firstItem(order), 'Name')).toMatch(/^Tea – 250g 😀 /),
  },
  // Without its tax lines an order's tax rates cannot be mapped to Sage codes.
  'null-blocks': {
    state: 'held',
    code: 'NULLBL01',
    error: /^order \d+: line_items\[\d+\] "[^"]+": WooCommerce tax rate id \d+.* has no Sage tax code/,
  },
};

const SHOP = { seed: 71, orders: 100, customers: 40, startAt: '2026-01-05T08:00:00Z', secondsPerOrder: 60 } as const;
const patches = hostileOrderPatches();
// Hostile orders take every fourth slot of the shop, so each sits between ordinary neighbours.
const slots = new Map([...patches.keys()].map((name, i) => [name, 1001 + 2 * (3 + 4 * i)]));
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describeEachDialect('hostile orders through sync, allocation, documents and delivery', (ctx) => {
  let hostile: Map<number, Outcome>;
  let control: Map<number, Outcome>;
  let summary: SyncSummary;
  let served: Map<number, unknown>;
  let stored: Map<number, unknown>;
  let documents: DeliveredDocuments;
  let outboxDir: string;
  let planned: Array<{ orderId: number | null; rule: string; accountCode: string | null; reason: string }>;

  beforeAll(async () => {
    const { db } = ctx();
    const withoutThem: Sandbox = await startSandbox(SHOP);
    try {
      for (const id of slots.values()) withoutThem.store.deleteOrder(id);
      const controlOutbox = tempOutbox();
      dirs.push(controlOutbox);
      await syncAndExport(db, withoutThem, controlOutbox);
      control = await outcomes(db);
    } finally {
      await withoutThem.close();
    }
    const shop = await startSandbox(SHOP);
    try {
      for (const [name, id] of slots) {
        // A paid order with no meta of its own, so only the patch decides what happens to it.
        const base = { ...(shop.store.getOrder(id) as object), status: 'processing', meta_data: [] };
        shop.store.setOrderRaw(id, overlay(base, { ...patches.get(name), id }));
      }
      served = new Map([...slots.values()].map((id) => [id, shop.store.getOrder(id)]));
      outboxDir = tempOutbox();
      dirs.push(outboxDir);
      const run = await syncAndExport(db, shop, outboxDir);
      expect(run.error).toBeUndefined();
      summary = run.summary;
      hostile = await outcomes(db);
      const rows = await db('orders')
        .whereIn('id', [...slots.values()])
        .select('id', 'payload');
      stored = new Map(rows.map((r: { id: number; payload: string }) => [Number(r.id), JSON.parse(r.payload)]));
      documents = deliveredDocuments(outboxDir);
      planned = await planOffline(db, shop);
    } finally {
      await shop.close();
    }
  }, 90_000);

  it.each([...patches.keys()])(
    'when the shop sends the hostile order "%s", then it gets a correct document or a clear error',
    async (name) => {
      const id = slots.get(name)!;
      const expected = EXPECTED[name];
      if (!expected) throw new Error(`test/fixtures/hostile/orders/${name}.json has no expectation here`);
      const got = hostile.get(id);
      expect(got, `${name} (order ${id}) is not in the inbox`).toBeDefined();
      // Stored as the shop sent it, whatever it holds.
      expect(stored.get(id)).toEqual(served.get(id));
      const document = documents.salesOrders.get(String(id));
      if (expected.state === 'held') {
        expect(got!.state).toBe('held');
        expect(got!.accountCode).toBe(expected.code ?? null);
        expect(got!.lastError).toMatch(expected.error);
        expect(document, 'a held order has no document').toBeUndefined();
        return;
      }
      expect(got).toEqual({ state: 'delivered', rule: expected.rule, accountCode: expected.code, lastError: null });
      expect(document, `no sales order ${id} was delivered`).toBeDefined();
      const order = served.get(id) as { total: string; total_tax: string };
      expect({ account: document!.accountReference, gross: document!.gross, tax: document!.tax }).toEqual({
        account: expected.code,
        gross: wooMinor(String(order.total)),
        tax: wooMinor(String(order.total_tax)),
      });
      const customer = documents.customers.get(expected.code);
      expect(customer, `the new account ${expected.code} was not delivered`).toBeDefined();
      expected.check?.(document!.element, customer);
    },
  );

  it('when the batch is delivered, then every file is complete XML under a delivery name, each document once, and nothing was written outside the outbox', () => {
    expect(readOutbox(outboxDir).problems).toEqual([]);
    expect(fs.existsSync('/tmp/woo-sage-pwned')).toBe(false);
    expect(fs.readdirSync(path.dirname(outboxDir)).filter((n) => n.includes('pwned') || n === 'passwd')).toEqual([]);
  });

  it('when hostile orders sit among ordinary ones, then every ordinary order gets what it gets without them, and none failed to be processed', () => {
    expect(control.size).toBe(SHOP.orders - slots.size);
    for (const [id, outcome] of control) expect(hostile.get(id), `order ${id}`).toEqual(outcome);
    expect([...control.values()].filter((o) => o.state === 'delivered').length).toBeGreaterThan(40);
    expect(summary.problems.filter((p) => p.reason.startsWith('not processed'))).toEqual([]);
    expect(summary.stages.process?.failed).toBe(0);
  });

  it('when the same orders are planned offline (woo-sage plan), then every one, hostile or not, gets the account sync gave it', () => {
    const decided = [...hostile].filter(([, o]) => o.state !== 'waiting');
    expect(planned.map((p) => p.orderId).sort()).toEqual(decided.map(([id]) => id).sort());
    for (const entry of planned) {
      const outcome = hostile.get(entry.orderId!)!;
      expect({ rule: entry.rule, accountCode: entry.accountCode }, `order ${entry.orderId}`).toEqual({
        rule: outcome.rule ?? 'NONE',
        accountCode: outcome.accountCode,
      });
    }
  });
});

/**
 * `woo-sage plan` over what the shop served, in the order the run took them (oldest modification
 * first), with the shop's customers and Sage accounts: the offline twin of the run.
 */
async function planOffline(db: Knex, shop: Sandbox) {
  const decided = (await db('orders')
    .whereNot('state', 'waiting')
    .orderBy([{ column: 'date_modified' }, { column: 'id' }])
    .pluck('id')) as number[];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-plan-'));
  try {
    const file = (name: string, content: string) => (fs.writeFileSync(path.join(dir, name), content), path.join(dir, name));
    const customerIds = Array.from({ length: SHOP.customers }, (_, i) => i + 1);
    const run = await runWooSage(
      [
        'plan',
        '--orders',
        file('orders.json', JSON.stringify(decided.map((id) => shop.store.getOrder(Number(id))))),
        '--customers',
        file('customers.json', JSON.stringify(customerIds.map((id) => shop.store.getCustomer(id)))),
        '--accounts',
        file('accounts.xml', shop.sageAccountsXml()),
        '--json',
      ],
      { LOG_LEVEL: 'silent' },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function syncOnceFresh(db: Knex, shop: Sandbox) {
  await resetInbox(db);
  return syncOnce({ db, sandbox: shop, since: new Date('2026-01-01T00:00:00Z') });
}

describeEachDialect('a page that carries one order id twice', (ctx) => {
  it('when two different orders in one page claim the same id, then the id is stored once (the later copy), the sync reports it naming the order, and the rest of the page is stored', async () => {
    const { db } = ctx();
    const shop = await startSandbox({ ...SHOP, orders: 30 });
    try {
      const [original, impostorSlot] = [1001 + 2 * 10, 1001 + 2 * 12];
      const copy = overlay(shop.store.getOrder(original), JSON.parse(fs.readFileSync(hostileFile('duplicate-id-in-page.json'), 'utf8')));
      // The copy sits in another order's place (later in the page) but says it is `original`.
      shop.store.setOrderRaw(impostorSlot, {
        ...(copy as object),
        date_modified_gmt: (shop.store.getOrder(impostorSlot) as { date_modified_gmt: string }).date_modified_gmt,
      });
      const { summary, error } = await syncOnceFresh(db, shop);
      expect(error).toBeUndefined();
      const row = await db('orders').where({ id: original }).first('payload');
      expect(JSON.parse(row.payload)).toEqual(shop.store.getOrder(impostorSlot));
      expect(summary.problems).toContainEqual({
        orderId: original,
        reason: `the store sent order ${original} twice in one page with different content (positions 11 and 13); the later copy was kept`,
      });
      const ids = ((await db('orders').pluck('id')) as unknown[]).map(Number).sort((a, b) => a - b);
      expect(ids).toEqual(shop.store.orderIds().filter((id) => id !== impostorSlot));
    } finally {
      await shop.close();
    }
  });
});
