import type { Knex } from 'knex';
import { beforeEach, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connection.ts';
import { fixedClock } from '../src/domain/clock.ts';
import { allocateOrderWithRetry } from '../src/pipeline/allocate-order.ts';
import { allocationSettings } from './helpers/allocation-rows.ts';
import { describeEachDialect, type TestDatabase } from './helpers/test-db.ts';

/**
 * Two workers allocating at once. On MariaDB each worker has its own knex pool with several
 * transactions in flight, so codes really race and the database's unique keys referee. SQLite is
 * single-process by design (DESIGN.md); there both workers share the one connection, which
 * interleaves their transactions but cannot run them in parallel.
 */
const SURNAMES = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright'];
const SURNAMES_2 = ['Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke'];
const ALL_SURNAMES = [...SURNAMES, ...SURNAMES_2];
const AT = '2026-01-01T09:00:00.000Z';
const clock = fixedClock('2026-02-01T10:00:00Z');

function orderRow(order: { id: number; customer_id: number; billing: Record<string, string> }) {
  return {
    id: order.id,
    number: String(order.id),
    status: 'processing',
    customer_id: order.customer_id,
    billing_email: order.billing.email,
    currency: 'GBP',
    total_minor: 1000,
    date_created: AT,
    date_modified: AT,
    payload: JSON.stringify({ ...order, status: 'processing', total: '10.00' }),
    content_hash: `h${order.id}`,
    state: 'received',
    state_changed_at: AT,
    received_at: AT,
    updated_at: AT,
  };
}

async function insertOrders(db: Knex, orders: Parameters<typeof orderRow>[0][]) {
  const rows = orders.map(orderRow);
  for (let i = 0; i < rows.length; i += 100) await db('orders').insert(rows.slice(i, i + 100));
}

/** Two workers, each with `lanes` transactions in flight, taking orders from one shared queue. */
async function runTwoWorkers(t: TestDatabase, orderIds: number[], settings = allocationSettings()) {
  const pools = t.dialect === 'mysql' ? [openDatabase(t.url), openDatabase(t.url)] : [t.db, t.db];
  const lanes = t.dialect === 'mysql' ? 4 : 1;
  let next = 0;
  try {
    await Promise.all(
      pools.flatMap((pool, worker) =>
        [...Array(lanes).keys()].map(async () => {
          while (next < orderIds.length) {
            const id = orderIds[next++]!;
            await allocateOrderWithRetry(pool, id, settings, clock, `worker-${worker}`);
          }
        }),
      ),
    );
  } finally {
    if (t.dialect === 'mysql') await Promise.all(pools.map((p) => p.destroy()));
  }
}

// A thousand transactions racing on MariaDB: seconds alone, but under a loaded CI machine more than
// the default 30 s. What is asserted is the outcome, never the time.
const RACE_TIMEOUT_MS = 120_000;

describeEachDialect('concurrent account creation', (ctx) => {
  beforeEach(async () => {
    const { db } = ctx();
    for (const table of ['order_events', 'orders', 'sage_account_emails', 'sage_accounts']) await db(table).delete();
  });

  it(
    'when two workers allocate orders of 1,000 distinct new buyers, then 1,000 distinct valid codes are made, numbered without gaps',
    { timeout: RACE_TIMEOUT_MS },
    async () => {
      const { db } = ctx();
      const orders = [...Array(1000).keys()].map((i) => ({
        id: 100_000 + i,
        customer_id: 0,
        // Buyers of one stem are adjacent in the queue, so every in-flight transaction races for the same numbers.
        billing: { first_name: 'Sam', last_name: ALL_SURNAMES[Math.floor(i / 50)]!, email: `buyer${i}@example.com` },
      }));
      await insertOrders(db, orders);
      await runTwoWorkers(
        ctx(),
        orders.map((o) => o.id),
      );

      const accounts = await db('sage_accounts').select('code', 'owner_key', 'status');
      expect(accounts).toHaveLength(1000);
      expect(new Set(accounts.map((a) => a.code)).size).toBe(1000);
      expect(new Set(accounts.map((a) => a.owner_key)).size).toBe(1000);
      for (const account of accounts) expect(account.code).toMatch(/^[A-Z0-9]{1,8}$/);
      // Each stem's 50 buyers got the lowest free numbers: 01 to 50, none skipped.
      const byStem = new Map<string, number[]>();
      for (const { code } of accounts) {
        const [, stem, number] = /^([A-Z]+)(\d+)$/.exec(code)!;
        byStem.set(stem!, [...(byStem.get(stem!) ?? []), Number(number)]);
      }
      expect(byStem.size).toBe(20);
      for (const numbers of byStem.values()) expect(numbers.sort((a, b) => a - b)).toEqual([...Array(50).keys()].map((n) => n + 1));

      const allocated = await db('orders as o')
        .join('sage_accounts as a', 'a.code', 'o.account_code')
        .select('o.billing_email', 'o.state', 'o.rule', 'a.owner_key');
      expect(allocated).toHaveLength(1000);
      for (const row of allocated)
        expect(row).toEqual({ billing_email: row.billing_email, state: 'allocated', rule: 'NEW', owner_key: `guest:${row.billing_email}` });
    },
  );

  it(
    'when two workers allocate 1,000 orders of one new guest buyer, then exactly one account is made and every order uses it',
    { timeout: RACE_TIMEOUT_MS },
    async () => {
      const { db } = ctx();
      const orders = [...Array(1000).keys()].map((i) => ({
        id: 200_000 + i,
        customer_id: 0,
        billing: { first_name: 'Pat', last_name: 'Newman', email: i % 2 ? 'pat@newman.example' : ' PAT@Newman.example ' },
      }));
      await insertOrders(db, orders);
      await runTwoWorkers(
        ctx(),
        orders.map((o) => o.id),
      );
      expect(await db('sage_accounts').select('code', 'owner_key')).toEqual([{ code: 'NEWMAN01', owner_key: 'guest:pat@newman.example' }]);
      const codes = await db('orders').distinct('account_code', 'state').select();
      expect(codes).toEqual([{ account_code: 'NEWMAN01', state: 'allocated' }]);
    },
  );

  it(
    'when two workers allocate 300 orders of one logged-in buyer with email search off, then one account is made',
    { timeout: RACE_TIMEOUT_MS },
    async () => {
      const { db } = ctx();
      await db('woo_customers').delete();
      await db('woo_customers').insert({ id: 55, profile_code: null, payload: '{}', fetched_at: AT });
      const orders = [...Array(300).keys()].map((i) => ({
        id: 300_000 + i,
        customer_id: 55,
        // The buyer changes billing email between orders; the account belongs to the customer.
        billing: { first_name: 'Lee', last_name: 'Loyal', email: `lee${i % 3}@loyal.example` },
      }));
      await insertOrders(db, orders);
      await runTwoWorkers(
        ctx(),
        orders.map((o) => o.id),
        allocationSettings({ searchSageByEmail: false }),
      );
      expect(await db('sage_accounts').select('code', 'owner_key')).toEqual([{ code: 'LOYALL01', owner_key: 'customer:55' }]);
      expect(await db('orders').distinct('account_code', 'rule').select()).toEqual([{ account_code: 'LOYALL01', rule: 'NEW' }]);
    },
  );
});
