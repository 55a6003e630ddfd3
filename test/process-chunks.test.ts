import type { Knex } from 'knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dialectOf } from '../src/db/connection.ts';
import { systemClock } from '../src/domain/clock.ts';
import { silentLogger } from '../src/log/logger.ts';
import { importAccounts } from '../src/pipeline/import-accounts.ts';
import { EXPORT_STAGES } from '../src/pipeline/process-orders.ts';
import { runSync, SYNC_STAGES } from '../src/pipeline/run-sync.ts';
import { selectSettledOrders } from '../src/pipeline/settle.ts';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { DEFAULT_SETTINGS, type Settings } from '../src/settings/schema.ts';
import { processOrderOneByOne } from './helpers/process-one-by-one.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './helpers/test-db.ts';
import { sandboxClient } from './helpers/woo.ts';

const settings: Settings = { ...DEFAULT_SETTINGS, settleMinutes: 0 };
// Without the email search a returning new buyer is NEW again and gets their pending account back;
// with write-back on, new codes of logged-in buyers are queued for their profiles.
const VARIANTS: Array<[string, Settings]> = [
  ['default settings', settings],
  ['no email search, write-back on', { ...settings, searchSageByEmail: false, writeBackNewCodes: true }],
];

let sandbox: Sandbox;
beforeAll(async () => {
  // Few customers for many orders: new buyers come back within one chunk; ten-line baskets.
  sandbox = await startSandbox({ seed: 77, orders: 320, customers: 60, maxLines: 10 });
});
afterAll(() => sandbox.close());

/** The inbox after a poll of the sandbox, with the shop's Sage accounts in the mirror. */
async function polled(db: Knex, settings: Settings): Promise<void> {
  await resetInbox(db);
  const xml = sandbox.sageAccountsXml();
  await importAccounts(
    db,
    (async function* () {
      yield xml;
    })(),
    { all: true, actor: 'test', clock: systemClock, fileName: 'accounts.xml' },
  );
  await sync(db, settings, SYNC_STAGES);
}

async function resetInbox(db: Knex): Promise<void> {
  for (const table of [
    'order_events',
    'export_jobs',
    'account_code_writebacks',
    'sage_account_emails',
    'sage_accounts',
    'woo_customers',
    'orders',
    'sync_state',
  ]) {
    await db(table).del();
  }
}

async function sync(db: Knex, settings: Settings, stages: typeof SYNC_STAGES, processChunkSize?: number) {
  const { client } = sandboxClient(sandbox);
  return runSync({
    db,
    client,
    clock: systemClock,
    logger: silentLogger,
    storeId: sandbox.url,
    since: new Date((sandbox.store.config.startSec - 60) * 1000),
    settings,
    stages,
    processChunkSize,
  });
}

/** Everything processing decides, per order, with job ids replaced by keys. */
async function outcome(db: Knex) {
  const orders = await db('orders').orderBy('id').select('id', 'state', 'rule', 'account_code', 'decision', 'last_error', 'exported_hash');
  const jobs = await db('export_jobs').orderBy('job_key').select();
  const keyOf = new Map(jobs.map((j) => [Number(j.id), String(j.job_key)]));
  const accounts = await db('sage_accounts')
    .where({ origin: 'created' })
    .orderBy('code')
    .select('code', 'owner_key', 'status', 'name', 'details');
  const emails = await db('sage_account_emails').orderBy(['account_code', 'email']).select('account_code', 'email');
  return {
    orders,
    jobs: jobs.map((j) => ({
      key: j.job_key,
      kind: j.kind,
      order: Number(j.order_id),
      account: j.account_code,
      documentId: j.document_id,
      document: j.document,
      dependsOn: j.depends_on_job_id === null ? null : keyOf.get(Number(j.depends_on_job_id)),
      warnings: j.warnings,
      state: j.state,
      attempts: Number(j.attempts),
      maxAttempts: Number(j.max_attempts),
      lastError: j.last_error,
    })),
    accounts,
    emails,
    writebacks: await db('account_code_writebacks').orderBy('customer_id').select('customer_id', 'account_code'),
  };
}

describeEachDialect('process stage in chunks', (ctx) => {
  let reference: TestDatabase;
  beforeAll(async () => {
    reference = await createTestDatabase(ctx().dialect);
  });
  afterAll(() => reference?.destroy());

  it.each(VARIANTS)(
    'when settled orders are processed in chunks (%s), then every order gets the same state, decision, reason and documents as one by one, and one event each',
    async (_name, settings) => {
      const { db } = ctx();
      // The same inbox processed the first way: one transaction per order, allocate then queue.
      await polled(reference.db, settings);
      for (let after: { id: number; dateModified: string } | undefined; ;) {
        const page = await selectSettledOrders(reference.db, settings, systemClock, 100, after);
        if (page.length === 0) break;
        for (const settled of page) await processOrderOneByOne(reference.db, settled, { settings, clock: systemClock, actor: 'sync' });
        after = page.at(-1);
      }
      await polled(db, settings);
      const summary = await sync(db, settings, [EXPORT_STAGES[0]!], 40);
      expect(summary.stages.process).toMatchObject({ failed: 0 });
      expect(summary.stages.process!.queued).toBeGreaterThan(100);

      const chunked = await outcome(db);
      const oneByOne = await outcome(reference.db);
      expect(chunked.orders).toEqual(oneByOne.orders);
      expect(chunked.jobs).toEqual(oneByOne.jobs);
      expect(chunked.accounts).toEqual(oneByOne.accounts);
      expect(chunked.emails).toEqual(oneByOne.emails);
      expect(chunked.writebacks).toEqual(oneByOne.writebacks);
      // Buyers that came back got one account and one Customer document, which their orders wait for.
      const customers = chunked.jobs.filter((j) => j.kind === 'customer');
      expect(customers.length).toBeLessThan(chunked.jobs.filter((j) => j.kind === 'sales_order').length);
      expect(new Set(customers.map((j) => j.account)).size).toBe(customers.length);
      expect(chunked.jobs.some((j) => j.dependsOn !== null)).toBe(true);

      // The one-by-one way records allocated then queued; a chunk records both in one event.
      const events = async (d: Knex) =>
        (await d('order_events').orderBy('id').select('order_id', 'from_state', 'to_state', 'reason')).filter((e) => e.from_state !== null);
      const chunkEvents = await events(db);
      const referenceEvents = await events(reference.db);
      const processed = chunked.orders.filter((o) => ['queued', 'held'].includes(o.state) && o.rule !== null);
      expect(processed.length).toBeGreaterThan(100);
      for (const order of processed) {
        const mine = chunkEvents.filter((e) => Number(e.order_id) === Number(order.id));
        const theirs = referenceEvents.filter((e) => Number(e.order_id) === Number(order.id));
        expect(mine.map((e) => [e.from_state, e.to_state])).toEqual([['waiting', order.state]]);
        expect(theirs.at(-1)!.to_state).toBe(order.state);
        // The combined reason carries what each of the two events said.
        for (const e of theirs) expect(mine[0]!.reason).toContain(e.reason);
      }
    },
  );

  it('when one order in a chunk cannot be written, then the chunk is retried order by order: the others are processed and only that one fails, listed with its error', async () => {
    const { db } = ctx();
    await polled(db, settings);
    const settled = await selectSettledOrders(db, settings, systemClock, 30);
    const bad = settled[7]!.id;
    const unreadable = settled[12]!.id;
    // A payload the process stage cannot read is held in the chunk, not a reason to fall back.
    await db('orders')
      .where({ id: unreadable })
      .update({ payload: JSON.stringify({ id: unreadable, status: 'processing', total: 'a lot' }) });
    await refuseUpdatesOf(db, bad);
    try {
      const summary = await sync(db, settings, [EXPORT_STAGES[0]!], 25);
      expect(summary.stages.process!.failed).toBe(1);
      expect(summary.problems.some((p) => p.orderId === bad && /refused by test/.test(p.reason))).toBe(true);
    } finally {
      await allowUpdates(db);
    }
    expect((await db('orders').where({ id: bad }).first('state')).state).toBe('waiting');
    expect(await db('export_jobs').where({ order_id: bad })).toEqual([]);
    expect(await db('orders').where({ id: unreadable }).first('state', 'last_error')).toMatchObject({
      state: 'held',
      last_error: expect.stringMatching(/total/),
    });
    const others = await db('orders').whereIn(
      'id',
      settled.map((s) => s.id).filter((id) => id !== bad && id !== unreadable),
    );
    expect(others.every((o) => ['queued', 'held'].includes(o.state))).toBe(true);
    expect(others.filter((o) => o.state === 'queued').length).toBeGreaterThan(20);
  });
});

async function refuseUpdatesOf(db: Knex, orderId: number): Promise<void> {
  if (dialectOf(db) === 'mysql') {
    await db.raw(
      `CREATE TRIGGER refuse_order BEFORE UPDATE ON orders FOR EACH ROW BEGIN IF NEW.id = ${Number(orderId)} AND NEW.state <> OLD.state THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by test'; END IF; END`,
    );
  } else {
    await db.raw(
      `CREATE TRIGGER refuse_order BEFORE UPDATE ON orders WHEN NEW.id = ${Number(orderId)} AND NEW.state <> OLD.state BEGIN SELECT RAISE(ABORT, 'refused by test'); END`,
    );
  }
}

async function allowUpdates(db: Knex): Promise<void> {
  await db.raw('DROP TRIGGER IF EXISTS refuse_order');
}
