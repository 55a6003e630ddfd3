import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { readOrdersCursor } from '../src/db/cursor.ts';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { runWooSage } from './helpers/cli.ts';
import { inboxMismatches, stateViolations } from './helpers/inbox-invariants.ts';
import { tempOutbox } from './helpers/outbox.ts';
import { deliveryViolations } from './helpers/outbox-invariants.ts';
import { resetPipeline } from './helpers/sync.ts';
import { describeEachDialect } from './helpers/test-db.ts';

let sandbox: Sandbox;
let outboxDir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 81, orders: 230, customers: 60, startAt: '2026-01-05T08:00:00Z', secondsPerOrder: 30 });
});
afterAll(async () => {
  await sandbox.close();
});

describeEachDialect('woo-sage sync when the store misbehaves', (ctx) => {
  const env = () => ({
    LOG_LEVEL: 'silent',
    DATABASE_URL: ctx().url,
    WOO_URL: sandbox.url,
    WOO_CONSUMER_KEY: sandbox.consumerKey,
    WOO_CONSUMER_SECRET: sandbox.consumerSecret,
    // sync delivers too: never into the working copy's ./outbox.
    OUTBOX_DIR: outboxDir,
  });

  beforeEach(async () => {
    sandbox.faults.clear();
    outboxDir = tempOutbox();
    await resetPipeline(ctx().db);
  });
  afterEach(() => fs.rmSync(outboxDir, { recursive: true, force: true }));

  it('when the store rate-limits for an hour mid-run, then sync exits 1 saying so, keeps the pages stored and the next run completes', async () => {
    const { db } = ctx();
    sandbox.faults.inject({ fault: { kind: 'rate-limit', retryAfterSeconds: 3600 }, match: { resource: 'orders' }, skip: 1 });
    const failed = await runWooSage(['sync', '--since', '2026-01-01'], env());
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(
      'sync failed: the store did not answer GET orders (HTTP 429 too_many_requests: Too many requests. Please slow down.); it asks us to wait 3600 s, longer than we wait within one run',
    );
    // The first page was stored and the cursor moved with it; the summary of that part is printed.
    expect(failed.stdout).toMatch(/orders seen 100: new 100/);
    const cursor = await readOrdersCursor(db);
    expect(cursor).toBeDefined();
    expect(await db('orders').count({ n: '*' }).first()).toMatchObject({ n: 100 });

    const rerun = await runWooSage(['sync', '--json'], env());
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ ok: true, orders: { new: 130 } });
    expect(await inboxMismatches(db, sandbox.store)).toEqual([]);
    expect(await stateViolations(db, ['waiting', 'held', 'delivered'])).toEqual([]);
    expect(await deliveryViolations(db, outboxDir)).toEqual([]);
  });

  it('when the customers endpoint rejects the request, then sync exits 1 naming it with --json ok:false, and the orders wait for their profiles until a run gets them', async () => {
    const { db } = ctx();
    sandbox.faults.inject({
      fault: { kind: 'status', status: 400, body: { code: 'rest_invalid_param', message: 'Invalid parameter(s): include' } },
      match: { resource: 'customers' },
    });
    const failed = await runWooSage(['sync', '--since', '2026-01-01', '--json'], env());
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(
      'sync failed: the store rejected GET customers (HTTP 400 rest_invalid_param: Invalid parameter(s): include)',
    );
    const summary = JSON.parse(failed.stdout);
    // The failed run still says what it stored before the failure.
    expect(summary).toMatchObject({ ok: false, error: { code: 'WOO_REQUEST_REJECTED' }, orders: { seen: 230, new: 230 } });
    const waiting = await db('orders').where({ customer_pending: true }).count({ n: '*' }).first();
    expect(Number(waiting?.n)).toBeGreaterThan(0);

    const rerun = await runWooSage(['sync'], env());
    expect(rerun.code).toBe(0);
    expect(await inboxMismatches(db, sandbox.store)).toEqual([]);
    expect(await stateViolations(db, ['waiting', 'held', 'delivered'])).toEqual([]);
    expect(await deliveryViolations(db, outboxDir)).toEqual([]);
  });

  it('when a run fails after it fetched a batch of profiles, then its summary counts them', async () => {
    const { db } = ctx();
    const big = await startSandbox({ seed: 82, orders: 400, customers: 400, startAt: '2026-01-05T08:00:00Z', secondsPerOrder: 30 });
    try {
      big.faults.inject({ fault: { kind: 'rate-limit', retryAfterSeconds: 3600 }, match: { resource: 'orders' }, skip: 3 });
      const failed = await runWooSage(['sync', '--since', '2026-01-01', '--json'], {
        ...env(),
        WOO_URL: big.url,
        WOO_CONSUMER_KEY: big.consumerKey,
        WOO_CONSUMER_SECRET: big.consumerSecret,
      });
      expect(failed.code).toBe(1);
      const summary = JSON.parse(failed.stdout);
      const stored = Number((await db('woo_customers').count({ n: '*' }).first())?.n);
      expect(stored).toBeGreaterThanOrEqual(100);
      expect(summary.customers.fetched).toBe(stored);
    } finally {
      await big.close();
    }
  });
});
