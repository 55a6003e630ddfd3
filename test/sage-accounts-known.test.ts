import { expect, it } from 'vitest';
import { listAudit } from '../src/db/audit-log.ts';
import { listOrders } from '../src/db/order-queries.ts';
import { listOrderEvents } from '../src/db/order-events.ts';
import { sageAccountsKnown } from '../src/db/sage-accounts-known.ts';
import { silentLogger } from '../src/log/logger.ts';
import { importAccounts } from '../src/pipeline/import-accounts.ts';
import { processSettledOrders } from '../src/pipeline/process-orders.ts';
import type { SyncRun } from '../src/pipeline/run-sync.ts';
import { emptySummary, formatSummary } from '../src/pipeline/sync-summary.ts';
import { withWaitingReasons } from '../src/pipeline/waiting-reasons.ts';
import { DEFAULT_SETTINGS } from '../src/settings/schema.ts';
import { runWooSage } from './helpers/cli.ts';
import { seedOrder, testClock } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const exportOf = (code: string, name: string, email: string) =>
  `<?xml version="1.0"?><Company><Customers><Customer><AccountReference>${code}</AccountReference><CompanyName>${name}</CompanyName>` +
  `<CustomerInvoiceAddress><Email>${email}</Email></CustomerInvoiceAddress></Customer></Customers></Company>`;

async function* once(text: string) {
  yield text;
}

describeEachDialect(
  "no new account codes before Sage's accounts are known",
  (ctx) => {
    const clock = testClock();
    const run = (): SyncRun => ({
      // The process stage reads no store: it works on the inbox the poll filled.
      deps: { db: ctx().db, clock, logger: silentLogger, storeId: 'http://shop.test' } as unknown as SyncRun['deps'],
      settings: DEFAULT_SETTINGS,
      summary: emptySummary('http://shop.test', clock.now()),
      heartbeat: async () => undefined,
    });
    const waitingOrder = async (email: string) => {
      const seeded = await seedOrder(ctx().db, { email });
      await ctx().db('orders').where({ id: seeded.orderId }).update({ state: 'waiting', date_modified: '2026-01-01T00:00:00.000Z' });
      return seeded.orderId;
    };

    it('when no Sage export was imported, then an order needing a new account waits with "import your Sage customers first"', async () => {
      const { db } = ctx();
      expect(await sageAccountsKnown(db)).toBe(false);
      const orderId = await waitingOrder('mia@example.com');
      const first = run();
      await processSettledOrders(first);

      const row = await db('orders').where({ id: orderId }).first();
      expect(row).toMatchObject({ state: 'waiting', rule: null, account_code: null, last_error: null });
      expect(Boolean(Number(row.awaiting_accounts))).toBe(true);
      expect(await db('sage_accounts').where({ origin: 'created' })).toEqual([]);
      expect(await db('export_jobs').where({ order_id: orderId })).toEqual([]);
      expect(first.summary.stages.process).toMatchObject({ 'waiting for Sage customers': 1, queued: 0, held: 0 });
      expect(formatSummary(first.summary)).toContain('NOTE: 1 order(s) need a new Sage account and wait: import your Sage customers first');

      const [listed] = await withWaitingReasons(db, clock.now(), await listOrders(db, { search: String(orderId) }));
      expect(listed!.waitingReason).toMatch(/^import your Sage customers first/);

      // The next sync (still no import) neither creates a code nor repeats the history line.
      await processSettledOrders(run());
      expect((await listOrderEvents(db, orderId)).filter((e) => e.to === 'waiting')).toHaveLength(1);
      expect(await db('sage_accounts').where({ origin: 'created' })).toEqual([]);
    });

    it('when the Sage customers are then imported, then the next sync takes the waiting orders: an email match, and a new account', async () => {
      const { db } = ctx();
      const matched = await waitingOrder('aled@example.com');
      const fresh = await waitingOrder('new.buyer@example.com');
      await processSettledOrders(run());
      await importAccounts(db, once(exportOf('TAYLOR01', 'Aled Taylor', 'aled@example.com')), {
        all: false,
        fileName: 'customers.xml',
        actor: 'alice',
        clock,
      });
      expect(await sageAccountsKnown(db)).toBe(true);
      const [listed] = await withWaitingReasons(db, clock.now(), await listOrders(db, { search: String(matched) }));
      expect(listed!.waitingReason).toBe('due: the next sync processes it');

      const after = run();
      await processSettledOrders(after);
      expect(await db('orders').where({ id: matched }).first()).toMatchObject({
        state: 'queued',
        rule: 'EXISTING',
        account_code: 'TAYLOR01',
      });
      const created = await db('orders').where({ id: fresh }).first();
      expect(created).toMatchObject({ state: 'queued', rule: 'NEW' });
      expect(Boolean(Number(created.awaiting_accounts))).toBe(false);
      expect(after.summary.notices).toEqual([]);
    });
  },
  { sageAccountsKnown: false },
);

describeEachDialect(
  'woo-sage accounts import --empty',
  (ctx) => {
    it('when an owner confirms Sage has no customers, then it is audited and new accounts may be created', async () => {
      const { db, url } = ctx();
      expect(await sageAccountsKnown(db)).toBe(false);
      const result = await runWooSage(['accounts', 'import', '--empty', '--actor', 'cli:owner'], { DATABASE_URL: url });
      expect(result).toMatchObject({ code: 0 });
      expect(result.stdout).toContain('Sage has no customer accounts yet');
      expect(await sageAccountsKnown(db)).toBe(true);
      const [entry] = await listAudit(db, { action: 'accounts.confirm-empty' });
      expect(entry).toMatchObject({ actor: 'cli:owner', action: 'accounts.confirm-empty' });
    });

    it('when --empty comes with a file, then it is refused as unusable', async () => {
      const result = await runWooSage(['accounts', 'import', 'x.xml', '--empty'], { DATABASE_URL: ctx().url });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--empty takes no FILE');
    });
  },
  { sageAccountsKnown: false },
);
