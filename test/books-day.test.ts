import { afterAll, beforeAll, expect, it } from 'vitest';
import { creditNoteJobKey, findJobByKey, salesOrderJobKey } from '../src/db/export-jobs.ts';
import { fixedClock } from '../src/domain/clock.ts';
import { EXPORT_STAGES } from '../src/pipeline/process-orders.ts';
import { SYNC_STAGES } from '../src/pipeline/run-sync.ts';
import { childText, parseXmlTree } from '../src/sage/xml-tree.ts';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { settingsSchema } from '../src/settings/schema.ts';
import { tempOutbox } from './helpers/outbox.ts';
import { resetPipeline, syncOnce } from './helpers/sync.ts';
import { describeEachDialect } from './helpers/test-db.ts';

type Json = Record<string, any>;
const settings = settingsSchema.parse({ settleMinutes: 0, exportRefunds: true });

describeEachDialect("the books day: documents dated by the shop's local date, against the sandbox over HTTP", (ctx) => {
  let sandbox: Sandbox;
  // 00:23 on 2 September in London (BST) is 23:23 UTC on 1 September.
  const shopClock = fixedClock('2026-09-01T23:23:00Z');
  beforeAll(async () => {
    await resetPipeline(ctx().db);
    sandbox = await startSandbox({ seed: 71, orders: 80, secondsPerOrder: 60, startAt: '2026-09-01T18:00:00Z', clock: shopClock });
  });
  afterAll(() => sandbox.close());

  it('when orders and a refund are made around midnight in British Summer Time, then SalesOrderDate and InvoiceDate are their local date_created, not the UTC day', async () => {
    const { db } = ctx();
    const afterMidnight = sandbox.store.createOrder((o) => void (o.status = 'processing'));
    const refunded = sandbox.store.orderIds().find((id) => {
      const o = sandbox.store.getOrder(id) as Json;
      return id !== afterMidnight && o.status === 'processing' && o.refunds.length === 0 && o.line_items.length > 0;
    })!;
    const line = (sandbox.store.getOrder(refunded) as Json).line_items[0];
    const refund = sandbox.store.refundOrder(refunded, { lines: [{ itemId: line.id, quantity: 1 }] });
    expect([refund.date_created, refund.date_created_gmt]).toEqual(['2026-09-02T00:23:00', '2026-09-01T23:23:00']);

    const run = await syncOnce({
      db,
      sandbox,
      since: new Date('2026-01-01T00:00:00Z'),
      extra: { stages: [...SYNC_STAGES, ...EXPORT_STAGES], outboxDir: tempOutbox(), settings },
    });
    expect(run.error).toBeUndefined();

    const salesOrderDate = async (id: number) =>
      childText(parseXmlTree((await findJobByKey(db, salesOrderJobKey(id)))!.document), 'SalesOrderDate');
    expect(await salesOrderDate(afterMidnight)).toBe('2026-09-02T00:23:00');
    const creditNote = await findJobByKey(db, creditNoteJobKey(Number(refund.id)));
    expect(childText(parseXmlTree(creditNote!.document), 'InvoiceDate')).toBe('2026-09-02T00:23:00');

    // Every sales order, the shop's late-evening and after-midnight ones included.
    let dayApart = 0;
    for (const row of await db('orders').where({ state: 'delivered' })) {
      const payload = JSON.parse(row.payload);
      expect(await salesOrderDate(Number(row.id)), `order ${row.id}`).toBe(payload.date_created);
      if (payload.date_created.slice(0, 10) !== payload.date_created_gmt.slice(0, 10)) dayApart++;
    }
    expect(dayApart).toBeGreaterThanOrEqual(2);
  });
});
