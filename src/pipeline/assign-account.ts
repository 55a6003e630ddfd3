import type { Knex } from 'knex';
import { findAccount } from '../db/account-mirror.ts';
import { recordAudit } from '../db/audit-log.ts';
import { findJobByKey, salesOrderJobKey, SENT_STATES } from '../db/export-jobs.ts';
import { removeEmailLink, saveEmailLink, saveOrderAssignment, type EmailLink } from '../db/manual-accounts.ts';
import { accountCodePattern } from '../domain/allocation/account-code-pattern.ts';
import { isPlausibleEmail, normaliseAccountCode, normaliseEmail } from '../domain/allocation/normalise.ts';
import type { Clock } from '../domain/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { EXPORTED_STATES, type OrderState } from '../domain/order-state.ts';
import { quoted } from '../domain/text.ts';
import type { Settings } from '../settings/schema.ts';
import { getSettings } from '../settings/store.ts';
import { reprocessOrders, type ReprocessResult } from './reprocess-orders.ts';

export interface AssignRequest {
  orderId: number;
  /** A Sage account code the mirror knows (imported, or created here). */
  code: string;
  reason?: string;
  /** Also give this code to later orders from the order's billing email. */
  rememberEmail?: boolean;
  actor: string;
  clock: Clock;
  settings?: Settings;
}

export interface AssignResult {
  orderId: number;
  accountCode: string;
  /** The billing email now linked to the code, when --remember-email was asked for. */
  rememberedEmail: string | null;
  /** What processing the order at once did (queued, or why it waits or is still held). */
  result: ReprocessResult;
}

/**
 * A person gives an order its Sage account (rule MANUAL): a guest, a bad code in the order's own
 * meta, an ambiguous email. The choice is kept (so reprocessing keeps it), audited with who and
 * why, optionally remembered for the billing email, and the order is processed at once as the
 * pipeline would. An order Sage already has is refused: its account can only change in Sage.
 */
export async function assignAccount(db: Knex, request: AssignRequest): Promise<AssignResult> {
  const settings = request.settings ?? (await getSettings(db));
  const { orderId } = request;
  const code = normaliseAccountCode(request.code);
  if (!accountCodePattern(settings.accountCodePattern).test(code)) {
    throw new ValidationError(
      `order ${orderId}: account code ${quoted(request.code)} is not a valid Sage account code (accountCodePattern ${settings.accountCodePattern})`,
      { orderId, field: 'code', value: request.code.slice(0, 64) },
    );
  }
  const account = await findAccount(db, code);
  if (!account) {
    throw new ValidationError(
      `order ${orderId}: account ${code} is not in the Sage account mirror; check the code, or import the Sage customer export that has it`,
      { orderId, field: 'code', value: code },
    );
  }
  if (account.status === 'inactive') {
    throw new ValidationError(`order ${orderId}: account ${code} is marked inactive (missing from the last full Sage export)`, {
      orderId,
      field: 'code',
      value: code,
    });
  }
  const reason = request.reason?.trim() || null;
  const now = request.clock.now();
  const remembered = await db.transaction(async (trx) => {
    const order = await trx('orders').where({ id: orderId }).first('id', 'state', 'rule', 'account_code', 'billing_email');
    if (!order) throw new NotFoundError(`order ${orderId} is not in the inbox (has it been synced yet?)`, { orderId });
    await refuseIfSent(trx, orderId, String(order.state) as OrderState);
    let email: string | null = null;
    if (request.rememberEmail) {
      email = normaliseEmail(order.billing_email ?? '');
      if (!email || !isPlausibleEmail(email)) {
        throw new ValidationError(
          `order ${orderId}: its billing email ${quoted(order.billing_email ?? '')} is not a usable address, so it cannot be remembered`,
          { orderId, field: 'billing_email' },
        );
      }
    }
    await saveOrderAssignment(trx, { orderId, code, actor: request.actor, reason, at: now });
    await recordAudit(trx, {
      at: now,
      actor: request.actor,
      action: 'orders.assign',
      subject: `order.${orderId}`,
      before: { state: order.state, rule: order.rule ?? null, accountCode: order.account_code ?? null },
      after: { rule: 'MANUAL', accountCode: code },
      details: { reason, rememberEmail: email },
    });
    if (email) {
      await saveEmailLink(trx, { email, code, actor: request.actor, reason, fromOrderId: orderId, at: now });
      await recordAudit(trx, {
        at: now,
        actor: request.actor,
        action: 'accounts.email-link.add',
        subject: `email-link.${email}`,
        after: { email, accountCode: code, fromOrderId: orderId },
        details: { reason },
      });
    }
    return email;
  });
  const report = await reprocessOrders(
    db,
    { ids: [orderId] },
    { clock: request.clock, actor: request.actor, reason: `account ${code} assigned${reason ? `: ${reason}` : ''}`, settings },
  );
  return { orderId, accountCode: code, rememberedEmail: remembered, result: report.results[0]! };
}

async function refuseIfSent(trx: Knex.Transaction, orderId: number, state: OrderState): Promise<void> {
  const job = await findJobByKey(trx, salesOrderJobKey(orderId));
  if ((job && (SENT_STATES.includes(job.state) || job.state === 'claimed')) || EXPORTED_STATES.includes(state)) {
    throw new ConflictError(
      `order ${orderId}: its sales order ${job?.state === 'claimed' ? 'is being delivered' : `was ${job?.state ?? state}`} with account ${job?.accountCode ?? 'unknown'}; its account can only be changed in Sage now`,
      { orderId, state },
    );
  }
}

/** Removes a remembered email link (audited); later orders from the email are decided by the rules again. */
export async function forgetEmailLink(db: Knex, request: { email: string; actor: string; clock: Clock }): Promise<EmailLink> {
  const email = normaliseEmail(request.email);
  return db.transaction(async (trx) => {
    const removed = await removeEmailLink(trx, email);
    if (!removed) throw new NotFoundError(`no account is remembered for ${quoted(request.email)}`, { email: email.slice(0, 191) });
    await recordAudit(trx, {
      at: request.clock.now(),
      actor: request.actor,
      action: 'accounts.email-link.remove',
      subject: `email-link.${email}`,
      before: { email, accountCode: removed.accountCode, fromOrderId: removed.fromOrderId },
    });
    return removed;
  });
}
