import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { hostileFile, hostileOrderPatches, outcomes, overlay, syncAndAllocate, type Outcome } from './helpers/hostile.ts';
import { runWooSage } from './helpers/cli.ts';
import { resetInbox, syncOnce } from './helpers/sync.ts';
import type { Knex } from 'knex';
import { describeEachDialect } from './helpers/test-db.ts';

/**
 * Every hostile order of test/fixtures/hostile/orders laid over a real order of a sandbox shop,
 * driven through the real path (sandbox → HTTP client → sync → inbox → allocation), next to
 * ordinary orders. Each gets the outcome below; the ordinary orders get exactly the decisions
 * they get in a run of the same shop without the hostile ones.
 */
type Expected = { state: 'allocated'; rule: string; code: string } | { state: 'held'; error: RegExp };

const EXPECTED: Record<string, Expected> = {
  'xml-metacharacters': { state: 'allocated', rule: 'NEW', code: 'ACMELT01' },
  'control-characters': { state: 'allocated', rule: 'NEW', code: 'NULBYT01' },
  'emoji-rtl': { state: 'allocated', rule: 'NEW', code: 'DLROWO01' },
  'long-names': { state: 'allocated', rule: 'NEW', code: 'ENORMO01' },
  'negative-quantity': { state: 'allocated', rule: 'NEW', code: 'NEGATI01' },
  'fractional-quantity': { state: 'allocated', rule: 'NEW', code: 'FRACTI01' },
  'zero-total': { state: 'allocated', rule: 'NEW', code: 'ZEROTO01' },
  'absurd-total': { state: 'allocated', rule: 'NEW', code: 'ABSURD01' },
  'exponent-total': { state: 'held', error: /^order \d+ cannot be used: total: is not a decimal amount \(got 1e\+21\)$/ },
  'missing-billing': {
    state: 'held',
    error: /the order has no billing email, a guest without a valid billing email cannot be given a new account/,
  },
  'numbers-as-strings': { state: 'allocated', rule: 'NEW', code: 'NUMBER01' },
  'strings-as-numbers': { state: 'allocated', rule: 'NEW', code: '2468001' },
  'status-not-text': { state: 'held', error: /^order \d+ cannot be used: status: .*expected string, received number \(got 1\)$/ },
  'quantity-not-number': {
    state: 'held',
    error: /^order \d+ cannot be used: line_items\.0\.quantity: must be a number \(got "two"\)$/,
  },
  'path-traversal': {
    state: 'held',
    error: /^The account code "\.\.\/EVIL" in the order's meta sage_account_code is not a valid Sage account code/,
  },
  // Decoded once, as WordPress encodes once: a double-encoded "&amp;amp;" reads "&amp;".
  'html-entity-tricks': { state: 'allocated', rule: 'NEW', code: 'TOMAMP01' },
  'null-blocks': { state: 'allocated', rule: 'NEW', code: 'NULLBL01' },
};

const SHOP = { seed: 71, orders: 80, customers: 40, startAt: '2026-01-05T08:00:00Z', secondsPerOrder: 60 } as const;
const patches = hostileOrderPatches();
// Hostile orders take every fourth slot of the shop, so each sits between ordinary neighbours.
const slots = new Map([...patches.keys()].map((name, i) => [name, 1001 + 2 * (3 + 4 * i)]));

describeEachDialect('hostile orders through sync and allocation', (ctx) => {
  let hostile: Map<number, Outcome>;
  let control: Map<number, Outcome>;
  let thrown: Map<number, string>;
  let served: Map<number, unknown>;
  let stored: Map<number, unknown>;
  let planned: Array<{ orderId: number | null; rule: string; accountCode: string | null; reason: string }>;

  beforeAll(async () => {
    const { db } = ctx();
    const withoutThem: Sandbox = await startSandbox(SHOP);
    try {
      for (const id of slots.values()) withoutThem.store.deleteOrder(id);
      await syncAndAllocate(db, withoutThem);
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
      const run = await syncAndAllocate(db, shop);
      expect(run.syncError).toBeUndefined();
      thrown = run.thrown;
      hostile = await outcomes(db);
      const rows = await db('orders')
        .whereIn('id', [...slots.values()])
        .select('id', 'payload');
      stored = new Map(rows.map((r: { id: number; payload: string }) => [Number(r.id), JSON.parse(r.payload)]));
      planned = await planOffline(db, shop);
    } finally {
      await shop.close();
    }
  }, 60_000);

  it.each([...patches.keys()])('when the shop sends the hostile order "%s", then it gets its expected outcome', async (name) => {
    const id = slots.get(name)!;
    const expected = EXPECTED[name];
    if (!expected) throw new Error(`test/fixtures/hostile/orders/${name}.json has no expectation here`);
    expect(thrown.get(id), `allocation threw for ${name}`).toBeUndefined();
    const got = hostile.get(id);
    expect(got, `${name} (order ${id}) is not in the inbox`).toBeDefined();
    // Stored as the shop sent it, whatever it holds.
    expect(stored.get(id)).toEqual(served.get(id));
    if (expected.state === 'held') {
      expect(got).toMatchObject({ state: 'held', accountCode: null });
      expect(got!.lastError).toMatch(expected.error);
      return;
    }
    expect(got).toEqual({ state: 'allocated', rule: expected.rule, accountCode: expected.code, lastError: null });
    const account = await ctx().db('sage_accounts').where({ code: expected.code }).first();
    expect(account).toMatchObject({ status: 'pending', origin: 'created' });
    // The new account carries the buyer's text unmangled (trimmed; its name at most 255 characters).
    const company = String((served.get(id) as { billing: { company: unknown } }).billing.company).trim();
    expect(JSON.parse(account.details).invoiceAddress.company).toBe(company);
    expect(account.name).toBe(company.slice(0, 255));
  });

  it('when the same orders are planned offline (woo-sage plan), then every one, hostile or not, gets the decision sync and allocation gave it', () => {
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

  it('when hostile orders sit among ordinary ones, then every ordinary order gets the decision it gets without them', () => {
    expect(control.size).toBe(SHOP.orders - slots.size);
    for (const [id, outcome] of control) expect(hostile.get(id), `order ${id}`).toEqual(outcome);
    expect([...control.values()].filter((o) => o.state === 'allocated').length).toBeGreaterThan(20);
    expect(thrown.size).toBe(0);
  });
});

/**
 * `woo-sage plan` over what the shop served, in the order allocation took the orders (oldest
 * modification first), with the shop's customers and Sage accounts: the offline twin of the run.
 */
async function planOffline(db: Knex, shop: Sandbox) {
  const decided = (await db('orders')
    .whereNot('state', 'waiting')
    .orderBy([{ column: 'date_modified' }, { column: 'id' }])
    .pluck('id')) as number[];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-plan-'));
  try {
    const file = (name: string, text: string) => (fs.writeFileSync(path.join(dir, name), text), path.join(dir, name));
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
