import type { Knex } from 'knex';
import {
  creditNoteJobKey,
  customerJobKey,
  findJobByKey,
  holdJob,
  insertJobIfAbsent,
  requeueJob,
  salesOrderJobKey,
} from '../db/export-jobs.ts';
import { flagOrderChange } from '../db/order-changes.ts';
import { withTransactionRetry } from '../db/transaction-retry.ts';
import type { Clock } from '../domain/clock.ts';
import { buildCreditNote, renderCreditNote } from '../sage/credit-note-xml.ts';
import type { SalesOrderSettings } from '../sage/sales-order-document.ts';
import type { RefundsFetch } from '../woo/client.ts';
import { parseOrder, wooGmtToIso } from '../woo/schemas.ts';

export interface CreditNoteOutcome {
  orderId: number;
  refundId: number | null;
  /**
   * queued: in the outbox after the sales order; held: a person must act (reason); kept: already
   * queued or sent; waiting: made less than settleMinutes ago (it may still be corrected).
   */
  outcome: 'queued' | 'held' | 'kept' | 'waiting';
  reason: string;
  warnings: string[];
}

const HOLD_ACTION = 'raise the credit note in Sage by hand and acknowledge this, or fix the cause (e.g. taxCodes) and reprocess the order';

/**
 * Queues one credit note per refund of an order whose sales order is queued or sent, in one
 * transaction: job key `credit_note:<refund id>`, so a refund is credited once however often it is
 * seen; each waits for the order's sales order (it is delivered after it). A refund that cannot be
 * credited to the penny is held with the reason and flags the order for a person. A held or failed
 * credit note is tried again (same key) when the order's refunds are looked at again.
 */
export async function queueCreditNotes(
  db: Knex,
  input: {
    orderId: number;
    fetched: RefundsFetch;
    settings: SalesOrderSettings;
    clock: Clock;
    /** Refunds made after this UTC time wait, as orders do, "to allow time for corrections". */
    settledBefore?: string;
  },
): Promise<CreditNoteOutcome[]> {
  const { orderId, fetched, settings, clock } = input;
  return withTransactionRetry(db, async (trx) => {
    const outcomes: CreditNoteOutcome[] = [];
    const at = clock.now();
    const done = () => trx('orders').where({ id: orderId }).update({ refunds_pending: false });
    const row = await trx('orders').where({ id: orderId }).first('payload', 'account_code');
    const salesOrder = await findJobByKey(trx, salesOrderJobKey(orderId));
    if (!row || !salesOrder || salesOrder.state === 'cancelled') {
      if (row) await done();
      return outcomes;
    }
    const parsed = parseOrder(JSON.parse(String(row.payload)));
    if (!parsed.ok) {
      // Flagged by the inbox already; a readable version of the order sets refunds_pending again.
      await done();
      return outcomes;
    }
    const accountCode = salesOrder.accountCode ?? (row.account_code as string | null) ?? '';
    const customer = await findJobByKey(trx, customerJobKey(accountCode));
    const customerId = customer && customer.state !== 'cancelled' ? customer.documentId : null;

    const hold = async (refundId: number | null, existing: Awaited<ReturnType<typeof findJobByKey>>, message: string, amount: string) => {
      outcomes.push({ orderId, refundId, outcome: 'held', reason: message, warnings: [] });
      if (existing?.state === 'held' && existing.lastError === message) return;
      if (existing) await holdJob(trx, existing.id, message, at);
      else if (refundId !== null)
        await insertJobIfAbsent(trx, {
          jobKey: creditNoteJobKey(refundId),
          kind: 'credit_note',
          orderId,
          accountCode,
          documentId: String(refundId),
          dependsOnJobId: salesOrder.id,
          document: '',
          warnings: [],
          at,
          state: 'held',
          lastError: message,
        });
      await flagOrderChange(trx, {
        orderId,
        at,
        summary: `refund #${refundId ?? '?'} (${amount}) not exported as a credit note: ${message}`,
        action: HOLD_ACTION,
      });
    };

    let waiting = false;
    for (const refund of [...fetched.refunds].sort((a, b) => a.id - b.id)) {
      const existing = await findJobByKey(trx, creditNoteJobKey(refund.id));
      const madeAt = wooGmtToIso(refund.date_created_gmt);
      if (input.settledBefore && madeAt && madeAt > input.settledBefore && (!existing || existing.state === 'held')) {
        waiting = true;
        outcomes.push({ orderId, refundId: refund.id, outcome: 'waiting', reason: `made ${madeAt}; settling`, warnings: [] });
        continue;
      }
      if (existing && !['held', 'failed'].includes(existing.state)) {
        outcomes.push({ orderId, refundId: refund.id, outcome: 'kept', reason: `credit note already ${existing.state}`, warnings: [] });
        continue;
      }
      const built = buildCreditNote({ refund, order: parsed.value, accountCode, customerId, settings });
      if (!built.ok) {
        await hold(refund.id, existing, built.hold.message, refund.amount);
        continue;
      }
      const document = renderCreditNote(built.document);
      if (existing) {
        await requeueJob(trx, existing.id, {
          accountCode,
          document,
          documentId: built.document.id,
          dependsOnJobId: salesOrder.id,
          warnings: built.warnings,
          at,
        });
      } else {
        await insertJobIfAbsent(trx, {
          jobKey: creditNoteJobKey(refund.id),
          kind: 'credit_note',
          orderId,
          accountCode,
          documentId: built.document.id,
          dependsOnJobId: salesOrder.id,
          document,
          warnings: built.warnings,
          at,
        });
      }
      outcomes.push({
        orderId,
        refundId: refund.id,
        outcome: 'queued',
        reason: `credit note for ${refund.amount} queued`,
        warnings: built.warnings,
      });
    }
    for (const bad of fetched.invalid) {
      const message = `the store sent refund ${bad.id ?? '(no id)'} in a form that cannot be read: ${bad.reason}`;
      await hold(
        bad.id ?? null,
        bad.id === undefined ? undefined : await findJobByKey(trx, creditNoteJobKey(bad.id)),
        message,
        'amount unknown',
      );
    }
    // A refund still settling keeps the order pending: the next run looks again.
    if (!waiting) await done();
    return outcomes;
  });
}
