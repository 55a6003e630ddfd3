import type { Knex } from 'knex';
import { clashSentence, findOpenClash, markRecoded, type AccountClash } from '../db/account-clashes.ts';
import { findAccount, findCodesWithPrefix } from '../db/account-mirror.ts';
import type { ImportedClash } from '../db/account-import-store.ts';
import { recordAudit } from '../db/audit-log.ts';
import { customerJobKey, insertJobIfAbsent, SENT_STATES, type JobState } from '../db/export-jobs.ts';
import { buildCustomer, renderCustomerDocument } from '../sage/customer-xml.ts';
import { transitionOrder } from '../db/order-events.ts';
import { codeStem, proposeAccountCode } from '../domain/allocation/account-code.ts';
import { accountCodePattern } from '../domain/allocation/account-code-pattern.ts';
import { customerOwnerKey, normaliseAccountCode } from '../domain/allocation/normalise.ts';
import type { NewAccountDetails } from '../domain/allocation/types.ts';
import { toUtcIso, type Clock } from '../domain/clock.ts';
import { AppError, NotFoundError } from '../domain/errors.ts';
import { getSettings } from '../settings/store.ts';
import { reprocessOrders, type ReprocessResult } from './reprocess-orders.ts';

export interface ClashReport extends ImportedClash {
  /** Orders of the created code held now (their undelivered documents left the queue). */
  heldOrders: number[];
  /** Orders whose sales order Sage already has on this code: a person must check them in Sage. */
  deliveredOrders: number[];
  /** The way out. */
  action: string;
}

const OPEN_ORDER_STATES = ['allocated', 'queued', 'waiting', 'received', 'failed'];

/**
 * At import, for each clash: nothing more goes to Sage under the created code. Its orders not yet
 * in Sage are held (their sales orders and the Customer document leave the queue), those Sage has
 * are named. Runs in the import's transaction.
 */
export async function holdForClashes(trx: Knex.Transaction, clashes: readonly ImportedClash[], at: Date): Promise<ClashReport[]> {
  const stamp = toUtcIso(at);
  const reports: ClashReport[] = [];
  for (const clash of clashes) {
    const stored = (await findOpenClash(trx, clash.code))!;
    const reason = `${clashSentence(stored)}; held until a person re-codes the account created here (woo-sage accounts recode ${clash.code})`;
    const orders = await trx('orders').where({ account_code: clash.code }).select('id', 'state');
    const heldOrders: number[] = [];
    const deliveredOrders: number[] = [];
    for (const order of orders) {
      const id = Number(order.id);
      const salesOrder = await trx('export_jobs').where({ order_id: id, kind: 'sales_order' }).first('id', 'state');
      const sent = salesOrder && (SENT_STATES.includes(salesOrder.state as JobState) || salesOrder.state === 'claimed');
      if (sent || ['delivered', 'imported'].includes(order.state)) {
        deliveredOrders.push(id);
        continue;
      }
      if (!OPEN_ORDER_STATES.includes(order.state) && order.state !== 'held') continue;
      if (salesOrder?.state === 'queued') {
        await trx('export_jobs')
          .where({ id: salesOrder.id, state: 'queued' })
          .update({ state: 'cancelled', result_message: `account code ${clash.code} clashes with Sage`, updated_at: stamp });
      }
      await transitionOrder(trx, { orderId: id, to: 'held', reason, actor: 'accounts.import', at, patch: { last_error: reason } });
      heldOrders.push(id);
    }
    await trx('export_jobs')
      .where({ job_key: customerJobKey(clash.code), state: 'queued' })
      .update({ state: 'cancelled', result_message: `account code ${clash.code} clashes with Sage: re-code it`, updated_at: stamp });
    reports.push({
      ...clash,
      heldOrders,
      deliveredOrders,
      action: `re-code the account created here: woo-sage accounts recode ${clash.code} (or "Re-code" on the Sage accounts screen)`,
    });
  }
  return reports;
}

export interface RecodeResult {
  code: string;
  newCode: string;
  /** Orders processed again under the new code. */
  reprocessed: ReprocessResult[];
  /** What a person must fix in Sage, because Sage already has documents under the old code. */
  instructions: string[];
}

/**
 * The way out of a clash: the account created here gets the next free code of its own letters
 * (its emails and owner go with it), Sage's account takes the old code in the mirror, and the
 * orders of the created account are processed again: its Customer document and sales orders are
 * queued with the new code. Whatever Sage already has under the old code is spelt out for a person.
 */
export async function recodeAccount(db: Knex, request: { code: string; actor: string; clock: Clock }): Promise<RecodeResult> {
  const code = normaliseAccountCode(request.code);
  const settings = await getSettings(db);
  const at = request.clock.now();
  const stamp = toUtcIso(at);
  const done = await db.transaction(async (trx) => {
    const clash = await findOpenClash(trx, code);
    if (!clash) throw new NotFoundError(`${code} has no open clash with a Sage account; nothing to re-code`, { code });
    const created = await findAccount(trx, code);
    if (!created || created.origin !== 'created' || !created.details) {
      throw new NotFoundError(`${code} is not an account created by woo-sage`, { code });
    }
    const details = JSON.parse(created.details) as NewAccountDetails;
    const newCode = await nextFreeCode(trx, details, clash, settings.accountCodePattern);
    const ownerKey = created.owner_key;

    // The created account moves to the new code; Sage's record takes the old one.
    await trx('sage_accounts').where({ code }).update({ owner_key: null });
    await trx('sage_accounts').insert({
      code: newCode,
      name: created.name,
      status: 'pending',
      origin: 'created',
      owner_key: ownerKey,
      details: created.details,
      created_at: stamp,
      updated_at: stamp,
    });
    await trx('sage_account_emails').where({ account_code: code }).delete();
    if (clash.created.emails.length > 0) {
      await trx('sage_account_emails').insert(clash.created.emails.map((email) => ({ account_code: newCode, email })));
    }
    await trx('sage_accounts')
      .where({ code })
      .update({
        name: clash.sage.name,
        status: 'active',
        origin: 'import',
        details: JSON.stringify(clash.sage.details),
        updated_at: stamp,
        confirmed_at: stamp,
        last_import_id: clash.importId,
      });
    if (clash.sage.emails.length > 0) {
      await trx('sage_account_emails').insert([...new Set(clash.sage.emails)].map((email) => ({ account_code: code, email })));
    }

    const instructions: string[] = [];
    // A code written to the buyer's WooCommerce profile would send their next order to Sage's customer.
    if (details.wooCustomerId !== null && ownerKey === customerOwnerKey(details.wooCustomerId)) {
      await trx('woo_customers').where({ id: details.wooCustomerId, profile_code: code }).update({ profile_code: newCode });
      const writeback = await trx('account_code_writebacks').where({ customer_id: details.wooCustomerId }).first('state');
      if (writeback) {
        await trx('account_code_writebacks')
          .where({ customer_id: details.wooCustomerId })
          .update({ account_code: newCode, state: 'pending', attempts: 0, next_attempt_at: stamp, last_error: null, updated_at: stamp });
        if (writeback.state === 'done') {
          instructions.push(
            `WooCommerce customer ${details.wooCustomerId}'s profile carries ${code}; it is written again as ${newCode} (writeBackNewCodes). Until then, check that it does not say ${code}.`,
          );
        }
      }
    }
    const customerJob = await trx('export_jobs')
      .where({ job_key: customerJobKey(code) })
      .first('id', 'state', 'delivered_at');
    if (customerJob && (SENT_STATES.includes(customerJob.state) || customerJob.state === 'claimed')) {
      instructions.push(
        `Sage may have imported woo-sage's Customer document for ${code} (${clash.created.name ?? 'the buyer'}, delivered ${customerJob.delivered_at ?? 'already'}): in Sage, make sure account ${code} still holds ${clash.sage.name ?? "Sage's own customer"}'s details, and that ${clash.created.name ?? 'the buyer'} is on ${newCode} once its new Customer document is imported.`,
      );
    } else if (customerJob) {
      await trx('export_jobs')
        .where({ id: customerJob.id })
        .whereNot('state', 'cancelled')
        .update({ state: 'cancelled', result_message: `re-coded to ${newCode}`, updated_at: stamp });
    }
    const sent = await trx('export_jobs as j')
      .where({ 'j.account_code': code, 'j.kind': 'sales_order' })
      .whereIn('j.state', [...SENT_STATES, 'claimed'])
      .pluck('j.order_id');
    if (sent.length > 0) {
      // Sage needs the buyer's own account to move those sales orders to: its Customer document goes now.
      const currency = (await trx('orders').where({ id: sent[0] }).first('currency'))?.currency ?? 'GBP';
      const built = buildCustomer({ code: newCode, ownerKey: ownerKey ?? `recoded:${code}`, details }, { currency });
      if (built.ok) {
        await insertJobIfAbsent(trx, {
          jobKey: customerJobKey(newCode),
          kind: 'customer',
          orderId: Number(sent[0]),
          accountCode: newCode,
          documentId: built.document.id,
          dependsOnJobId: null,
          document: renderCustomerDocument(built.document),
          warnings: built.warnings,
          at,
        });
      } else {
        instructions.push(`Create account ${newCode} for ${clash.created.name ?? 'the buyer'} in Sage by hand: ${built.hold.message}`);
      }
      instructions.push(
        `Sales orders ${sent.join(', ')} went to Sage on account ${code}, which is ${clash.sage.name ?? "Sage's own customer"}: in Sage, move them to ${newCode} (${clash.created.name ?? 'the buyer'}).`,
      );
    }

    // Orders to process again: the created code's open ones, and held orders of either buyer.
    const buyers = [...new Set([...clash.created.emails, ...clash.sage.emails])];
    const orders = await trx('orders')
      .where((q) => {
        q.where((a) => a.where({ account_code: code }).whereIn('state', [...OPEN_ORDER_STATES, 'held']));
        q.orWhere((h) => h.where({ state: 'held' }).whereIn('billing_email', buyers.length ? buyers : ['']));
        if (details.wooCustomerId !== null) q.orWhere((h) => h.where({ state: 'held', customer_id: details.wooCustomerId }));
      })
      .orderBy('id')
      .pluck('id');
    await markRecoded(trx, clash.id, { newCode, actor: request.actor, at, instructions });
    await recordAudit(trx, {
      at,
      actor: request.actor,
      action: 'accounts.recode',
      subject: `sage_accounts.${code}`,
      before: { code, createdFor: clash.created },
      after: { createdAccount: newCode, sageAccount: code, sage: { name: clash.sage.name, emails: clash.sage.emails } },
      details: { orders: orders.slice(0, 100).map(Number), instructions },
    });
    return { newCode, orders: orders.map(Number), instructions };
  });
  const report = done.orders.length
    ? await reprocessOrders(
        db,
        { ids: done.orders },
        { clock: request.clock, actor: request.actor, reason: `account ${code} re-coded to ${done.newCode}`, settings },
      )
    : { results: [] };
  return { code, newCode: done.newCode, reprocessed: report.results, instructions: done.instructions };
}

/** The lowest free code made from the created account's own name (its letters, as allocation makes them). */
async function nextFreeCode(trx: Knex.Transaction, details: NewAccountDetails, clash: AccountClash, pattern: string): Promise<string> {
  const { stem } = codeStem({
    company: details.invoiceAddress.company,
    surname: details.invoiceAddress.surname,
    forename: details.invoiceAddress.forename,
    email: details.email,
  });
  const prefix = clash.code.replace(/[0-9]+$/, '') || stem;
  const taken = new Set<string>([clash.code]);
  for (const p of new Set([prefix, stem.slice(0, 1)])) {
    if (/^[A-Z0-9]+$/.test(p)) for (const c of await findCodesWithPrefix(trx, p)) taken.add(c);
  }
  const proposed = proposeAccountCode(stem, accountCodePattern(pattern), (c) => taken.has(c));
  if (!proposed) throw new AppError('RECODE_FAILED', `no free account code made from "${stem}" fits accountCodePattern ${pattern}`, 409);
  return proposed.code;
}
