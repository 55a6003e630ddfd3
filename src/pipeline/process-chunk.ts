import type { Knex } from 'knex';
import { insertInChunks, updateRowsById } from '../db/bulk-write.ts';
import { withManualAccounts } from '../db/manual-accounts.ts';
import { withTransactionRetry } from '../db/transaction-retry.ts';
import { allocate } from '../domain/allocation/allocate.ts';
import { wooOrderFacts, type WooCustomerRow } from '../woo/domain-inputs.ts';
import type { Decision, OrderFacts, Rule } from '../domain/allocation/types.ts';
import { unreadableOrderDecision } from '../domain/allocation/unreadable.ts';
import { toUtcIso, type Clock } from '../domain/clock.ts';
import { DELIVERY_RETRY_POLICY } from '../domain/retry-policy.ts';
import type { OrderState } from '../domain/order-state.ts';
import { buildCustomer, renderCustomerDocument } from '../sage/customer-xml.ts';
import { buildSalesOrder, renderSalesOrder } from '../sage/sales-order-xml.ts';
import type { Settings } from '../settings/schema.ts';
import { refundsBeforeExport } from '../woo/refunds-before-export.ts';
import { parseOrder, type WooOrder } from '../woo/schemas.ts';
import { appendSummary, orderChangeRow, summaryLine } from '../db/order-changes.ts';
import { customerJobKey, requeueJob, salesOrderJobKey, SENT_STATES, type JobState } from '../db/export-jobs.ts';
import { ChunkMirror, type ChunkAccount } from './chunk-mirror.ts';
import type { SettledOrder } from './settle.ts';

export interface ProcessOutcome {
  orderId: number;
  /**
   * queued: documents in the outbox; held: a person must act; waiting: it needs a new account and
   * Sage's own accounts are not known yet; changed: the order moved on meanwhile.
   */
  outcome: 'queued' | 'held' | 'waiting' | 'already-sent' | 'changed';
  rule: Rule | null;
  accountCode: string | null;
  reason: string;
  warnings: string[];
  /** Queued, and flagged for a person at once (a refund made before export that Sage must credit). */
  flagged?: string;
}

export interface ProcessContext {
  settings: Settings;
  clock: Clock;
  actor: string;
}

export type OrderToProcess = Pick<SettledOrder, 'id' | 'contentHash' | 'payload'>;

/** A job that holds a key already (from the database, or queued earlier in this chunk). */
interface KnownJob {
  id: number | null;
  key: string;
  state: JobState;
  documentId: string | null;
}

interface PendingJob {
  key: string;
  row: Record<string, unknown>;
}

/**
 * Settled orders, in one transaction: each is allocated (reserving a new account when the rules
 * say so) and its documents queued, or it is held with the reason, exactly as `processSettledOrder`
 * does one order — which is this with a single order. What the chunk needs from the database is
 * read in a few bulk queries up front; what it writes (accounts, jobs, state changes, events) is
 * written in bulk at the end. Each order records one event for the allocation and the queueing
 * together (the reason names both). An order whose content changed since it was selected is left
 * for the next run. Any failure rolls the whole chunk back: the caller then goes order by order.
 */
export async function processChunk(db: Knex, chunk: readonly OrderToProcess[], context: ProcessContext): Promise<ProcessOutcome[]> {
  if (chunk.length === 0) return [];
  return withTransactionRetry(db, (trx) => processChunkIn(trx, chunk, context), { readCommitted: true });
}

interface Parsed {
  settled: OrderToProcess;
  from: OrderState;
  contentHash: string;
  /** Already waiting for Sage's accounts (its history says so once, not on every sync). */
  awaitingAccounts: boolean;
  order: WooOrder | null;
  unreadable: string | null;
  changeSummary: string | null;
}

async function processChunkIn(trx: Knex.Transaction, chunk: readonly OrderToProcess[], context: ProcessContext): Promise<ProcessOutcome[]> {
  const { settings, clock, actor } = context;
  const at = clock.now();
  const stamp = toUtcIso(at);
  const outcomes = new Map<number, ProcessOutcome>();
  const base = (id: number) => ({ orderId: id, rule: null, accountCode: null, warnings: [] as string[] });

  // 1. Only orders still waiting with the content that was selected.
  const current = new Map<number, { state: OrderState; content_hash: string; change_summary: string | null; awaiting_accounts: unknown }>();
  for (const row of await trx('orders')
    .whereIn(
      'id',
      chunk.map((o) => o.id),
    )
    .whereIn('state', ['waiting', 'received'])
    .select('id', 'state', 'content_hash', 'change_summary', 'awaiting_accounts')) {
    current.set(Number(row.id), row);
  }
  const work: Parsed[] = [];
  for (const settled of chunk) {
    const row = current.get(settled.id);
    if (!row || row.content_hash !== settled.contentHash) {
      outcomes.set(settled.id, { ...base(settled.id), outcome: 'changed', reason: 'changed since it was selected' });
      continue;
    }
    const parsed = readPayload(settled.payload);
    work.push({
      settled,
      from: row.state,
      contentHash: row.content_hash,
      awaitingAccounts: Boolean(Number(row.awaiting_accounts)),
      order: parsed.ok ? parsed.value : null,
      unreadable: parsed.ok ? null : parsed.reason,
      changeSummary: row.change_summary ?? null,
    });
  }

  // 2. What the allocation reads, for the whole chunk at once.
  const customerIds = [...new Set(work.flatMap((w) => (w.order && w.order.customer_id > 0 ? [w.order.customer_id] : [])))];
  const customers = new Map<number, WooCustomerRow>();
  for (let i = 0; i < customerIds.length; i += 500) {
    for (const row of await trx('woo_customers')
      .whereIn('id', customerIds.slice(i, i + 500))
      .select('id', 'profile_code', 'email', 'first_name', 'last_name', 'company')) {
      customers.set(Number(row.id), { ...row, id: Number(row.id) });
    }
  }
  const plain: OrderFacts[] = [];
  for (const w of work) {
    if (!w.order) continue;
    const customer = w.order.customer_id > 0 ? (customers.get(w.order.customer_id) ?? null) : undefined;
    plain.push(wooOrderFacts(w.order, customer, settings));
  }
  // A person's choices (an assigned account, a remembered email) come in as facts of their own.
  const facts = new Map<number, OrderFacts>((await withManualAccounts(trx, plain)).map((f) => [f.orderId, f]));
  const mirror = await ChunkMirror.load(trx, [...facts.values()], settings);

  // 3. Decide, order after order (a new account reserved for one is seen by the next).
  const orderUpdates: Array<{ id: number } & Record<string, unknown>> = [];
  const events: Record<string, unknown>[] = [];
  const transition = (w: Parsed, to: OrderState, reason: string, patch: Record<string, unknown>) => {
    orderUpdates.push({ id: w.settled.id, awaiting_accounts: false, ...patch, state: to, state_changed_at: stamp, updated_at: stamp });
    events.push({ order_id: w.settled.id, at: stamp, from_state: w.from, to_state: to, reason, actor });
  };
  const allocationPatch = (decision: Decision) => ({
    rule: decision.rule,
    account_code: decision.accountCode,
    decision: JSON.stringify(decision),
  });
  const decided: Array<{ w: Parsed; decision: Decision; account: ChunkAccount | undefined }> = [];
  const writebacks: Record<string, unknown>[] = [];
  for (const w of work) {
    const f = facts.get(w.settled.id);
    if (!w.order || !f) {
      const decision = unreadableOrderDecision(w.settled.id, w.unreadable ?? 'unreadable');
      transition(w, 'held', decision.reason, { ...allocationPatch(decision), last_error: decision.reason });
      outcomes.set(w.settled.id, { ...base(w.settled.id), rule: decision.rule, outcome: 'held', reason: decision.reason });
      continue;
    }
    const { decision, account: reserved } = await mirror.decide(trx, f, settings);
    // Any pending account of ours (not only one just reserved) needs its Customer document in Sage
    // first: after a re-code, say, no earlier order queued one under the new code.
    const account = reserved ?? (decision.accountCode ? mirror.pendingFor(decision.accountCode) : undefined);
    if (decision.rule === 'NEW' && settings.writeBackNewCodes && f.loggedIn && decision.accountCode) {
      writebacks.push({
        customer_id: f.customerId,
        account_code: decision.accountCode,
        state: 'pending',
        attempts: 0,
        next_attempt_at: stamp,
        created_at: stamp,
        updated_at: stamp,
      });
    }
    if (decision.waitFor) {
      // Waiting, not held: the next sync after the Sage customers are imported takes it.
      if (!w.awaitingAccounts || w.from !== 'waiting') {
        transition(w, 'waiting', decision.reason, {
          decision: JSON.stringify(decision),
          rule: null,
          account_code: null,
          last_error: null,
          awaiting_accounts: true,
        });
      }
      outcomes.set(w.settled.id, { ...base(w.settled.id), outcome: 'waiting', reason: decision.reason });
      continue;
    }
    if (!decision.accountCode) {
      transition(w, 'held', decision.reason, { ...allocationPatch(decision), last_error: decision.reason });
      outcomes.set(w.settled.id, {
        ...base(w.settled.id),
        rule: decision.rule,
        accountCode: null,
        outcome: 'held',
        reason: decision.reason,
      });
      continue;
    }
    decided.push({ w, decision, account });
  }

  // 4. Documents: the jobs that hold these keys already, then each order's documents.
  const keys = new Set<string>();
  for (const { w, decision, account } of decided) {
    keys.add(salesOrderJobKey(w.settled.id));
    keys.add(customerJobKey(account?.code ?? decision.accountCode!));
  }
  const jobs = new Map<string, KnownJob>();
  const keyList = [...keys];
  for (let i = 0; i < keyList.length; i += 500) {
    for (const row of await trx('export_jobs')
      .whereIn('job_key', keyList.slice(i, i + 500))
      .select('id', 'job_key', 'state', 'document_id')) {
      jobs.set(String(row.job_key), {
        id: Number(row.id),
        key: String(row.job_key),
        state: row.state as JobState,
        documentId: row.document_id ?? null,
      });
    }
  }
  // Refunds made before the first export, when they are not exported as credit notes: flagged.
  const refundChanges: Record<string, unknown>[] = [];
  const newCustomerJobs: PendingJob[] = [];
  const newSalesOrderJobs: Array<PendingJob & { dependsOnKey: string | null }> = [];
  // Reprocessed orders whose sales order job exists: requeued once the customers have ids.
  const requeues: Array<{
    jobId: number;
    accountCode: string;
    document: string;
    documentId: string;
    dependsOnKey: string | null;
    warnings: string[];
  }> = [];
  for (const { w, decision, account } of decided) {
    const id = w.settled.id;
    const order = w.order!;
    const code = decision.accountCode!;
    const decidedBase = { ...base(id), rule: decision.rule, accountCode: code };
    const existing = jobs.get(salesOrderJobKey(id));
    if (existing && (SENT_STATES.includes(existing.state) || existing.state === 'claimed')) {
      transition(w, 'allocated', decision.reason, { ...allocationPatch(decision), last_error: null });
      outcomes.set(id, { ...decidedBase, outcome: 'already-sent', reason: `sales order already ${existing.state}` });
      continue;
    }
    // Everything is built before anything is queued: a hold leaves the queue untouched.
    const customerKey = customerJobKey(account?.code ?? code);
    const customerJob = jobs.get(customerKey);
    const liveCustomer = customerJob && customerJob.state !== 'cancelled' ? customerJob : undefined;
    let customerDocument: { build: ReturnType<typeof buildCustomer> & { ok: true } } | null = null;
    if (account) {
      const built = buildCustomer(
        { code: account.code, ownerKey: account.ownerKey, details: account.details },
        { currency: order.currency },
      );
      if (!built.ok) {
        holdForDocument(w, decision, built.hold.message);
        continue;
      }
      customerDocument = { build: built };
    }
    const customerDocumentId = customerDocument ? customerDocument.build.document.id : (liveCustomer?.documentId ?? null);
    const built = buildSalesOrder({ order, accountCode: code, customerId: customerDocumentId, settings });
    if (!built.ok) {
      holdForDocument(w, decision, built.hold.message);
      continue;
    }
    const document = renderSalesOrder(built.document);

    // The customer document: queued once per account; again if it was cancelled or rejected.
    let customerWarnings: string[] = [];
    let created = false;
    let dependsOn: KnownJob | undefined;
    if (!customerDocument) {
      dependsOn = liveCustomer;
    } else if (customerJob) {
      if (customerJob.state === 'cancelled' || customerJob.state === 'failed') {
        await requeueJob(trx, customerJob.id!, {
          document: renderCustomerDocument(customerDocument.build.document),
          documentId: customerDocument.build.document.id,
          dependsOnJobId: null,
          warnings: customerDocument.build.warnings,
          at,
        });
        customerJob.state = 'queued';
        customerJob.documentId = customerDocument.build.document.id;
        customerWarnings = customerDocument.build.warnings;
      }
      dependsOn = customerJob;
    } else {
      const job: KnownJob = { id: null, key: customerKey, state: 'queued', documentId: customerDocument.build.document.id };
      jobs.set(customerKey, job);
      newCustomerJobs.push({
        key: customerKey,
        row: jobRow(
          customerKey,
          'customer',
          id,
          account!.code,
          job.documentId!,
          renderCustomerDocument(customerDocument.build.document),
          customerDocument.build.warnings,
          stamp,
        ),
      });
      customerWarnings = customerDocument.build.warnings;
      created = true;
      dependsOn = job;
    }
    const dependsOnKey = dependsOn && !SENT_STATES.includes(dependsOn.state) ? dependsOn.key : null;

    if (existing) {
      requeues.push({
        jobId: existing.id!,
        accountCode: code,
        document,
        documentId: built.document.id,
        dependsOnKey,
        warnings: built.warnings,
      });
    } else {
      newSalesOrderJobs.push({
        key: salesOrderJobKey(id),
        row: jobRow(salesOrderJobKey(id), 'sales_order', id, code, built.document.id, document, built.warnings, stamp),
        dependsOnKey,
      });
      jobs.set(salesOrderJobKey(id), { id: null, key: salesOrderJobKey(id), state: 'queued', documentId: built.document.id });
    }
    const queuedReason =
      customerDocument && created ? `sales order queued with new account ${code}` : `sales order queued for account ${code}`;
    // Only at the first export: a requeued sales order's refunds were flagged then, or since by the inbox.
    const refundFlag = existing || settings.exportRefunds ? null : refundsBeforeExport(order, code);
    if (refundFlag) refundChanges.push(orderChangeRow({ orderId: id, at: stamp, summary: refundFlag.summary, action: refundFlag.action }));
    transition(w, 'queued', `${queuedReason}; ${decision.reason}`, {
      ...allocationPatch(decision),
      last_error: null,
      exported_hash: w.contentHash,
      ...(refundFlag
        ? {
            changed_after_export: true,
            change_summary: appendSummary(w.changeSummary, summaryLine(stamp, refundFlag.summary, refundFlag.action)),
          }
        : {}),
    });
    outcomes.set(id, {
      ...decidedBase,
      outcome: 'queued',
      reason: decision.reason,
      warnings: [...customerWarnings, ...built.warnings],
      ...(refundFlag ? { flagged: `${refundFlag.summary} → ${refundFlag.action}` } : {}),
    });
  }

  function holdForDocument(w: Parsed, decision: Decision, message: string) {
    transition(w, 'held', `${message} (allocated: ${decision.reason})`, { ...allocationPatch(decision), last_error: message });
    outcomes.set(w.settled.id, {
      ...base(w.settled.id),
      rule: decision.rule,
      accountCode: decision.accountCode,
      outcome: 'held',
      reason: message,
    });
  }

  // 5. The writes, in bulk: accounts reserved, write-backs, jobs (customers first: the sales
  // orders name them), then every order's new state and its event.
  await mirror.writeReservations(trx, at);
  if (writebacks.length > 0) await trx('account_code_writebacks').insert(writebacks).onConflict('customer_id').ignore();
  if (newCustomerJobs.length > 0) {
    await insertInChunks(
      trx,
      'export_jobs',
      newCustomerJobs.map((j) => j.row),
    );
    const keysInserted = newCustomerJobs.map((j) => j.key);
    for (let i = 0; i < keysInserted.length; i += 500) {
      for (const row of await trx('export_jobs')
        .whereIn('job_key', keysInserted.slice(i, i + 500))
        .select('id', 'job_key')) {
        jobs.get(String(row.job_key))!.id = Number(row.id);
      }
    }
  }
  if (newSalesOrderJobs.length > 0) {
    await insertInChunks(
      trx,
      'export_jobs',
      newSalesOrderJobs.map((j) => ({ ...j.row, depends_on_job_id: j.dependsOnKey ? jobs.get(j.dependsOnKey)!.id : null })),
    );
  }
  for (const r of requeues) {
    const dependsOnJobId = r.dependsOnKey ? jobs.get(r.dependsOnKey)!.id : null;
    await requeueJob(trx, r.jobId, {
      accountCode: r.accountCode,
      document: r.document,
      documentId: r.documentId,
      dependsOnJobId,
      warnings: r.warnings,
      at,
    });
  }
  await updateRowsById(trx, 'orders', orderUpdates);
  await insertInChunks(trx, 'order_events', events);
  if (refundChanges.length > 0) await insertInChunks(trx, 'order_changes', refundChanges);
  return chunk.map((o) => outcomes.get(o.id)!);
}

function jobRow(
  key: string,
  kind: 'customer' | 'sales_order',
  orderId: number,
  accountCode: string,
  documentId: string,
  document: string,
  warnings: string[],
  at: string,
): Record<string, unknown> {
  return {
    job_key: key,
    kind,
    order_id: orderId,
    account_code: accountCode,
    document_id: documentId,
    depends_on_job_id: null,
    document,
    warnings: JSON.stringify(warnings),
    state: 'queued',
    attempts: 0,
    max_attempts: DELIVERY_RETRY_POLICY.attempts,
    next_attempt_at: at,
    created_at: at,
    updated_at: at,
  };
}

function readPayload(payload: unknown): { ok: true; value: WooOrder } | { ok: false; reason: string } {
  if (typeof payload !== 'string') return parseOrder(payload);
  try {
    return parseOrder(JSON.parse(payload));
  } catch {
    return { ok: false, reason: 'the stored WooCommerce payload is not valid JSON' };
  }
}
