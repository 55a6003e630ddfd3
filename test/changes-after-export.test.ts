import { afterAll, beforeAll, expect, it } from 'vitest';
import { listOrderChanges } from '../src/db/order-changes.ts';
import { EXPORT_STAGES } from '../src/pipeline/process-orders.ts';
import { SYNC_STAGES } from '../src/pipeline/run-sync.ts';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { settingsSchema } from '../src/settings/schema.ts';
import { tempOutbox } from './helpers/outbox.ts';
import { syncOnce } from './helpers/sync.ts';
import { describeEachDialect } from './helpers/test-db.ts';

type Json = Record<string, any>;
const settings = settingsSchema.parse({ settleMinutes: 0 });

describeEachDialect('changes after export, against the sandbox over HTTP', (ctx) => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 63, orders: 60, secondsPerOrder: 60, startAt: '2026-01-05T08:00:00Z' });
  });
  afterAll(() => sandbox.close());

  const sync = (first = false, using = settings) =>
    syncOnce({
      db: ctx().db,
      sandbox,
      since: first ? new Date('2026-01-01T00:00:00Z') : undefined,
      extra: { stages: [...SYNC_STAGES, ...EXPORT_STAGES], outboxDir: tempOutbox(), settings: using },
    });

  it('when delivered orders are cancelled, refunded in full or in part, edited, or back to processing in WooCommerce, then each is flagged with what changed and what to do in Sage', async () => {
    const { db } = ctx();
    await sync(true);
    const delivered = (await db('orders').where({ state: 'delivered' }).orderBy('id')).filter((r) => {
      const p = JSON.parse(r.payload);
      return p.refunds.length === 0 && p.line_items.length > 0;
    });
    expect(delivered.length).toBeGreaterThanOrEqual(5);
    const [cancelled, fully, partly, edited, revived] = delivered.map((r) => Number(r.id));
    const account = (id: number) => delivered.find((r) => Number(r.id) === id)!.account_code as string;

    sandbox.store.modifyOrder(cancelled!, (o) => void (o.status = 'cancelled'));
    const whole = sandbox.store.getOrder(fully!) as Json;
    sandbox.store.refundOrder(fully!, {
      lines: whole.line_items.map((l: Json) => ({ itemId: l.id, quantity: l.quantity })),
      shipping: true,
      fees: true,
      reason: 'Lost in post',
    });
    const part = sandbox.store.getOrder(partly!) as Json;
    const partial = sandbox.store.refundOrder(partly!, { lines: [{ itemId: part.line_items[0].id, quantity: 1 }], reason: 'Damaged' });
    sandbox.store.modifyOrder(edited!, (o) => {
      const line = (o.line_items as Json[])[0]!;
      line.quantity += 1;
      line.total = `${line.total}5`; // "12.50" → "12.505": an edit of the line's total
      o.total = `1${String(o.total)}`; // "23.40" → "123.40"
    });
    sandbox.store.modifyOrder(revived!, (o) => void (o.status = 'cancelled'));
    await sync();
    sandbox.store.modifyOrder(revived!, (o) => void (o.status = 'processing'));
    const run = await sync();
    expect(run.error).toBeUndefined();

    const last = async (id: number) => (await listOrderChanges(db, id)).at(-1)!;
    const total = (id: number) => String((sandbox.store.getOrder(id) as Json).total);
    expect(await last(cancelled!)).toMatchObject({
      summary: expect.stringMatching(/^status \w+ → cancelled$/),
      action: `cancel sales order ${cancelled} (account ${account(cancelled!)}) in Sage; if it has been invoiced, raise a credit note for ${total(cancelled!)}`,
    });
    expect(await last(fully!)).toMatchObject({
      summary: expect.stringMatching(/^status \w+ → refunded; refund #\d+ added: -[\d.]+ \(Lost in post\)$/),
      action: expect.stringMatching(
        /^raise a credit note for [\d.]+ \(refund #\d+\) \(account \w+\) in Sage, or cancel the sales order if it has not been invoiced$/,
      ),
    });
    expect(await last(partly!)).toMatchObject({
      summary: `refund #${partial.id} added: -${partial.amount} (Damaged)`,
      action: `raise a credit note for ${partial.amount} (refund #${partial.id}) (account ${account(partly!)}) in Sage`,
    });
    expect(await last(edited!)).toMatchObject({
      summary: expect.stringMatching(/total [\d.]+ → [\d.]+; line ".*": quantity \d+ → \d+, total/),
      action: expect.stringMatching(
        new RegExp(
          `^amend sales order ${edited} in Sage to match WooCommerce \\(total now ${total(edited!).replace('.', '\\.')}, was [\\d.]+; lines changed\\)$`,
        ),
      ),
    });
    expect(await last(revived!)).toMatchObject({
      summary: 'status cancelled → processing',
      action: `the order is active again in WooCommerce: if it was cancelled in Sage, enter it there again (sales order ${revived} is not sent twice)`,
    });
    for (const id of [cancelled, fully, partly, edited, revived]) {
      const row = await db('orders').where({ id }).first();
      expect(row.state, `order ${id}`).toBe('delivered');
      expect(Boolean(Number(row.changed_after_export))).toBe(true);
    }
    expect(await db('export_jobs').where({ kind: 'credit_note' })).toEqual([]);
  });

  it('when orders are moved to the bin in WooCommerce, then one still settling is never exported and one already in Sage is flagged to be cancelled there', async () => {
    const { db } = ctx();
    const delivered = await db('orders').where({ state: 'delivered', changed_after_export: false }).orderBy('id').first();
    expect(delivered).toBeDefined();
    const inSage = Number(delivered.id);
    const settling = sandbox.store.createOrder((o) => void (o.status = 'processing'));
    // Read while it settles (modified now, settleMinutes 60): it waits.
    await sync(false, settingsSchema.parse({ settleMinutes: 60 }));
    expect(await db('orders').where({ id: settling }).first()).toMatchObject({ state: 'waiting', status: 'processing' });

    sandbox.store.modifyOrder(settling, (o) => void (o.status = 'trash'));
    sandbox.store.modifyOrder(inSage, (o) => void (o.status = 'trash'));
    // The store's listing no longer shows either; with nothing left to settle, the next run
    // would export the first if it had not read the bin.
    const run = await sync();
    expect(run.error).toBeUndefined();
    expect(await db('orders').where({ id: settling }).first()).toMatchObject({ state: 'waiting', status: 'trash' });
    expect(await db('export_jobs').where({ order_id: settling })).toEqual([]);
    expect(await listOrderChanges(db, inSage)).toEqual([
      expect.objectContaining({
        summary: expect.stringMatching(/^status \w+ → trash$/),
        action: `the order was deleted in WooCommerce (moved to the bin): cancel sales order ${inSage} (account ${delivered.account_code}) in Sage; if it has been invoiced, raise a credit note for ${(sandbox.store.getOrder(inSage) as Json).total}`,
      }),
    ]);
    expect(await db('orders').where({ id: inSage }).first()).toMatchObject({ state: 'delivered', status: 'trash' });
  });
});
