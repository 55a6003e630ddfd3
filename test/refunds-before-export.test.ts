import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { explainText } from '../src/cli/orders-explain.ts';
import { creditNoteJobKey, findJobByKey, salesOrderJobKey } from '../src/db/export-jobs.ts';
import { listOrderChanges } from '../src/db/order-changes.ts';
import { getOrderDetail, listOrders } from '../src/db/order-queries.ts';
import { systemClock } from '../src/domain/clock.ts';
import { toMinorUnits } from '../src/domain/money.ts';
import { acknowledgeChange } from '../src/pipeline/acknowledge-change.ts';
import { EXPORT_STAGES } from '../src/pipeline/process-orders.ts';
import { SYNC_STAGES } from '../src/pipeline/run-sync.ts';
import { childElement, childElements, childText, parseXmlTree } from '../src/sage/xml-tree.ts';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { settingsSchema, type Settings } from '../src/settings/schema.ts';
import { outboxFiles, tempOutbox } from './helpers/outbox.ts';
import { resetPipeline, syncOnce } from './helpers/sync.ts';
import { describeEachDialect } from './helpers/test-db.ts';

type Json = Record<string, any>;
const off = settingsSchema.parse({ settleMinutes: 0 });
const on = settingsSchema.parse({ settleMinutes: 0, exportRefunds: true });
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Each delivered document's Id, by kind of file, in the order the files sort (delivery order). */
function deliveredIds(dir: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const name of outboxFiles(dir)) {
    const root = parseXmlTree(fs.readFileSync(path.join(dir, name), 'utf8'));
    const kind = /-(customers|sales-orders|sales-refunds)\.xml$/.exec(name)![1]!;
    for (const list of root.children) for (const doc of list.children) out.push([kind, childText(doc, 'Id')]);
  }
  return out;
}

describeEachDialect('refunds made before the first export, against the sandbox over HTTP', (ctx) => {
  let sandbox: Sandbox;
  let dir: string;
  beforeEach(async () => {
    await resetPipeline(ctx().db);
    await ctx().db('order_changes').delete();
    await sandbox?.close();
    sandbox = await startSandbox({ seed: 67, orders: 40, secondsPerOrder: 60, startAt: '2026-09-01T20:00:00Z' });
    dir = tempOutbox();
    dirs.push(dir);
  });
  afterAll(() => sandbox?.close());

  const sync = (settings: Settings, first = false) =>
    syncOnce({
      db: ctx().db,
      sandbox,
      since: first ? new Date('2026-01-01T00:00:00Z') : undefined,
      extra: { stages: [...SYNC_STAGES, ...EXPORT_STAGES], outboxDir: dir, settings },
    });

  /** A processing order with two lines and no refunds, part-refunded in the store before any sync. */
  function refundBeforeExport(): { id: number; total: string; refund: Json } {
    for (const id of sandbox.store.orderIds()) {
      const order = sandbox.store.getOrder(id) as Json;
      if (order.status !== 'processing' || order.refunds.length > 0 || order.line_items.length < 2) continue;
      const refund = sandbox.store.refundOrder(id, {
        lines: [{ itemId: order.line_items[0].id, quantity: 1 }],
        reason: 'Damaged &amp; returned',
      });
      return { id, total: order.total, refund };
    }
    throw new Error('no processing order to refund');
  }

  it('when credit notes are not exported and an order was part-refunded before its export, then its sales order is for the full total and the order is flagged to credit the refund in Sage, in the list, explain and summary, once, until acknowledged', async () => {
    const { db } = ctx();
    const { id, total, refund } = refundBeforeExport();
    const run = await sync(off, true);
    expect(run.error).toBeUndefined();

    const row = await db('orders').where({ id }).first();
    expect(row.state).toBe('delivered');
    expect(Boolean(Number(row.changed_after_export))).toBe(true);
    const salesOrder = await findJobByKey(db, salesOrderJobKey(id));
    expect(salesOrder).toMatchObject({ state: 'delivered' });
    expect(salesOrder!.document).toContain(`<PaymentAmount>${total}</PaymentAmount>`);

    const flag = {
      summary: `refund #${refund.id} ${refund.amount} made before export (Damaged & returned)`,
      action: `credit it in Sage: raise a credit note for ${refund.amount} (refund #${refund.id}) (account ${row.account_code}); the sales order is for the order's full ${total}`,
    };
    expect(await listOrderChanges(db, id)).toEqual([expect.objectContaining({ ...flag, acknowledgedAt: null })]);
    expect(run.summary.problems).toContainEqual({ orderId: id, reason: `${flag.summary} → ${flag.action}` });
    expect(run.summary.stages.process).toMatchObject({ flagged: expect.any(Number) });

    // Where support looks: orders list (--changed-after-export), explain, the API (same queries).
    const listed = await listOrders(db, { changedAfterExport: true });
    expect(listed.find((o) => o.id === id)?.changeSummary).toMatch(
      new RegExp(`: ${flag.summary.replace(/[()#.&]/g, '\\$&')} → credit it in Sage`),
    );
    const detail = await getOrderDetail(db, id);
    expect(
      explainText(
        { ...detail, order: { ...detail.order, waitingReason: null, statusNotExported: false, stateLabel: detail.order.state } },
        new Date(),
      ),
    ).toContain(`    to do: ${flag.action}`);

    // Orders of the shop that already carried refunds when first exported are flagged the same way.
    let carried = 0;
    for (const other of await db('orders').where({ state: 'delivered' }).whereNot({ id })) {
      const refunds = JSON.parse(other.payload).refunds as Json[];
      const changes = await listOrderChanges(db, Number(other.id));
      if (refunds.length === 0) expect(changes, `order ${other.id}`).toEqual([]);
      else expect(changes.map((c) => c.summary).join(), `order ${other.id}`).toMatch(/^refund #\d+ [\d.]+ made before export/);
      carried += refunds.length > 0 ? 1 : 0;
    }
    expect(carried).toBe(1);

    // Nothing new: no second flag; acknowledged, it stays cleared; never a credit note later.
    await sync(off);
    expect(await listOrderChanges(db, id)).toHaveLength(1);
    await acknowledgeChange(db, { orderId: id, actor: 'ann', note: 'credit note CN7 raised', clock: systemClock });
    await sync(on);
    const acknowledged = await db('orders').where({ id }).first();
    expect([Boolean(Number(acknowledged.changed_after_export)), acknowledged.change_summary]).toEqual([false, null]);
    expect(await findJobByKey(db, creditNoteJobKey(Number(refund.id)))).toBeUndefined();
  });

  it('when credit notes are exported and an order was part-refunded before its export, then the credit note follows its sales order (customers, sales order, credit note) and nothing is flagged', async () => {
    const { db } = ctx();
    const { id, refund } = refundBeforeExport();
    const run = await sync(on, true);
    expect(run.error).toBeUndefined();
    expect(await listOrderChanges(db, id)).toEqual([]);
    const salesOrder = await findJobByKey(db, salesOrderJobKey(id));
    const creditNote = await findJobByKey(db, creditNoteJobKey(Number(refund.id)));
    expect(creditNote).toMatchObject({ state: 'delivered', dependsOnJobId: salesOrder!.id });

    const order = deliveredIds(dir);
    const so = order.findIndex(([kind, docId]) => kind === 'sales-orders' && docId === String(id));
    const cn = order.findIndex(([kind, docId]) => kind === 'sales-refunds' && docId === String(refund.id));
    expect(so).toBeGreaterThanOrEqual(0);
    expect(cn).toBeGreaterThan(so);
    const customerId = childText(parseXmlTree(salesOrder!.document), 'CustomerId');
    if (customerId) expect(order.findIndex(([kind, docId]) => kind === 'customers' && docId === customerId)).toBeLessThan(so);

    const invoice = parseXmlTree(creditNote!.document);
    const lines = childElements(childElement(invoice, 'InvoiceItems'), 'Item');
    expect(lines).toHaveLength(1);
    const net = toMinorUnits(childText(lines[0], 'UnitPrice')) * Number(childText(lines[0], 'QtyOrdered'));
    expect(net).toBe(-toMinorUnits(String(refund.line_items[0].total)));
    expect(childText(invoice, 'InvoiceDate')).toBe(String(refund.date_created));
  });
});
