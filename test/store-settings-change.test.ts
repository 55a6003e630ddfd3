import { afterAll, beforeAll, expect, it } from 'vitest';
import { listOrderChanges } from '../src/db/order-changes.ts';
import { EXPORT_STAGES } from '../src/pipeline/process-orders.ts';
import { SYNC_STAGES } from '../src/pipeline/run-sync.ts';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { settingsSchema } from '../src/settings/schema.ts';
import { tempOutbox } from './helpers/outbox.ts';
import { resetPipeline, syncOnce } from './helpers/sync.ts';
import { describeEachDialect } from './helpers/test-db.ts';

type Json = Record<string, any>;
const settings = settingsSchema.parse({ settleMinutes: 0 });
const SINCE = new Date('2026-01-01T00:00:00Z');

describeEachDialect("a store-wide 'prices include tax' switch, against the sandbox over HTTP", (ctx) => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    await resetPipeline(ctx().db);
    await ctx().db('order_changes').delete();
    sandbox = await startSandbox({ seed: 69, orders: 60, secondsPerOrder: 60, startAt: '2026-09-01T20:00:00Z' });
  });
  afterAll(() => sandbox.close());

  const sync = (since?: Date) =>
    syncOnce({ db: ctx().db, sandbox, since, extra: { stages: [...SYNC_STAGES, ...EXPORT_STAGES], outboxDir: tempOutbox(), settings } });

  it('when the setting is switched and untouched exported orders are read again, then none is flagged as changed after export; a real edit still is, with an amendment that names what differs', async () => {
    const { db } = ctx();
    expect((await sync(SINCE)).error).toBeUndefined();
    const exported = await db('orders').whereIn('state', ['delivered', 'imported']).orderBy('id');
    const flaggedBefore = await db('orders').where({ changed_after_export: true }).pluck('id');
    const rewritten = exported.filter((r) => JSON.parse(r.payload).prices_include_tax === false).map((r) => Number(r.id));
    expect(rewritten.length).toBeGreaterThanOrEqual(7);

    sandbox.store.switchPricesIncludeTax(true);
    const reread = await sync(SINCE);
    expect(reread.error).toBeUndefined();
    expect(reread.summary.orders.changed).toBeGreaterThanOrEqual(rewritten.length);
    expect(reread.summary.orders.changedAfterExport).toBe(0);
    expect(await db('orders').where({ changed_after_export: true }).pluck('id')).toEqual(flaggedBefore);
    for (const id of rewritten) {
      expect(await listOrderChanges(db, id), `order ${id}`).toEqual(flaggedBefore.includes(id) ? expect.any(Array) : []);
      const row = await db('orders').where({ id }).first();
      // Stored as the store now shows it, so the next change is measured from it; its state stays.
      expect(JSON.parse(row.payload).prices_include_tax).toBe(true);
      expect(row.state).toMatch(/^(delivered|imported)$/);
      const last = await db('order_events').where({ order_id: id }).orderBy('id', 'desc').first();
      expect(last.reason).toMatch(/^changed in WooCommerce after export, in nothing Sage holds \(.*\): not flagged$/);
    }

    const edited = rewritten.find((id) => !flaggedBefore.includes(id))!;
    const before = sandbox.store.getOrder(edited) as Json;
    sandbox.store.modifyOrder(edited, (o) => {
      const [a] = o.line_items as Json[];
      a!.quantity += 1;
      a!.total = (Number(a!.total) * 2).toFixed(2);
    });
    await sync();
    const [change] = await listOrderChanges(db, edited);
    expect(change!.summary).toMatch(/^line ".*": quantity \d+ → \d+, total [\d.]+ → [\d.]+$/);
    expect(change!.action).toBe(
      `amend sales order ${edited} in Sage to match WooCommerce (lines changed, total unchanged at ${before.total})`,
    );
  });
});
