/**
 * The naive pipeline the bench compares against: what someone would write first, with the same
 * domain code (inbox rules, allocation, pricing, rendering, crash-safe delivery) and the
 * straightforward I/O around it:
 *  - poll: the same keyset pages, but one transaction per order, and one store request per customer;
 *  - process: one transaction per order (allocateOrder, then queueOrderDocuments), order after order;
 *  - deliver: one document per file, each claimed, written and marked delivered on its own.
 * It writes the same documents, so the bench can check both runs agree.
 */
import { advanceOrdersCursor } from '../src/db/cursor.ts';
import { storeOrderPage } from '../src/db/inbox.ts';
import { clearCustomerPending, upsertWooCustomers } from '../src/db/woo-customers.ts';
import { deliverToFolder } from '../src/pipeline/deliver-to-folder.ts';
import type { SyncRun, SyncStage } from '../src/pipeline/run-sync.ts';
import { selectSettledOrders } from '../src/pipeline/settle.ts';
import { ALL_STAGES } from '../src/pipeline/stages.ts';
import { pageOrdersByModified } from '../src/woo/order-pager.ts';
import { processOrderOneByOne } from '../test/helpers/process-one-by-one.ts';

async function naivePoll(run: SyncRun): Promise<void> {
  const { db, client, clock, storeId } = run.deps;
  const fetched = new Set<number>();
  let orders = 0;
  for await (const batch of pageOrdersByModified(client, { after: run.deps.since!, now: () => clock.now() })) {
    for (const raw of batch.items) {
      const stored = await db.transaction((trx) => storeOrderPage(trx, [raw], { settings: run.settings, at: clock.now(), actor: 'sync' }));
      orders += stored.outcomes.length;
      for (const customerId of stored.pendingCustomerIds) {
        if (fetched.has(customerId)) {
          await clearCustomerPending(db, [customerId]);
          continue;
        }
        const profile = await client.fetchCustomers([customerId]);
        await db.transaction(async (trx) => {
          await upsertWooCustomers(trx, profile.customers, run.settings.profileMetaKey, clock.now());
          await clearCustomerPending(trx, [customerId]);
        });
        fetched.add(customerId);
      }
    }
    await db.transaction((trx) => advanceOrdersCursor(trx, { modifiedAfter: batch.resumeAfter, store: storeId }, clock.now()));
    await run.heartbeat();
  }
  run.summary.stages.poll = { orders, customersFetched: fetched.size };
}

async function naiveProcess(run: SyncRun): Promise<void> {
  const { db, clock } = run.deps;
  const counts: Record<string, number> = { queued: 0, held: 0, failed: 0 };
  const tried = new Set<number>();
  for (;;) {
    const batch = (await selectSettledOrders(db, run.settings, clock)).filter((o) => !tried.has(o.id));
    if (batch.length === 0) break;
    for (const settled of batch) {
      tried.add(settled.id);
      try {
        const outcome = await processOrderOneByOne(db, settled, { settings: run.settings, clock, actor: 'sync' });
        counts[outcome] = (counts[outcome] ?? 0) + 1;
      } catch {
        counts.failed! += 1;
      }
      await run.heartbeat();
    }
  }
  run.summary.stages.process = counts;
}

async function naiveDeliver(run: SyncRun): Promise<void> {
  const report = await deliverToFolder(run.deps.db, {
    outboxDir: run.deps.outboxDir!,
    clock: run.deps.clock,
    maxPerBatch: 1,
    maxBatches: Number.MAX_SAFE_INTEGER,
  });
  run.summary.stages.deliver = { documents: report.documents, files: report.batches.length, errors: report.errors.length };
}

const NAIVE: Record<string, SyncStage['run']> = { poll: naivePoll, process: naiveProcess, deliver: naiveDeliver };

/** What `woo-sage sync` runs, with the naive poll, process and deliver in place of ours. */
export const BASELINE_STAGES: readonly SyncStage[] = ALL_STAGES.map((stage) => ({ name: stage.name, run: NAIVE[stage.name] ?? stage.run }));
