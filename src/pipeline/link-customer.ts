import type { Knex } from 'knex';
import { findAccount } from '../db/account-mirror.ts';
import { recordAudit } from '../db/audit-log.ts';
import { accountsByEmails, queryCustomerLinks, type CustomerLinkFilter, type LinkStatus } from '../db/customer-links.ts';
import { accountCodePattern, type AccountCodePattern } from '../domain/allocation/account-code-pattern.ts';
import { normaliseAccountCode } from '../domain/allocation/normalise.ts';
import { systemClock, type Clock } from '../domain/clock.ts';
import { ConflictError, ValidationError } from '../domain/errors.ts';
import { getSettings } from '../settings/store.ts';
import { reprocessOrders } from './reprocess-orders.ts';
import type { CustomerProfileWriter } from '../woo/profile-writer.ts';

export interface LinkRequest {
  customerId: number;
  /** The Sage account code; '' removes the link. */
  code: string;
  actor: string;
  /** Link to a code the mirror does not (yet) know, e.g. an account created in Sage today. */
  allowUnknown?: boolean;
  clock?: Clock;
}

export interface LinkResult {
  customerId: number;
  code: string | null;
  previousCode: string | null;
  accountName: string | null;
  /** Whether a local copy of the customer existed and now carries the code. */
  localProfileUpdated: boolean;
  /** Held orders of this customer that reprocessing now would take further (queue them, or let them wait). */
  heldOrderIds: number[];
  /** Held orders the link does not free (e.g. a bad code in the order's own meta), with why. */
  stillHeld: Array<{ orderId: number; reason: string }>;
}

/** Held orders tried (as a dry run) after a link, at most. */
const HELD_ORDERS_TRIED = 50;

/**
 * Links a WooCommerce customer to a Sage account (seed 003: link before sending, so no duplicate
 * account is created): validates the code against the pattern and the mirror, writes it to the
 * customer's profile meta in WooCommerce, then records it locally and in the audit log. Nothing
 * local changes unless the store accepted the write.
 */
export async function linkCustomer(db: Knex, request: LinkRequest, profileWriter: CustomerProfileWriter): Promise<LinkResult> {
  const clock = request.clock ?? systemClock;
  if (!Number.isSafeInteger(request.customerId) || request.customerId <= 0) {
    throw new ValidationError(`customer id must be a positive whole number, got ${JSON.stringify(request.customerId)}`);
  }
  const settings = await getSettings(db);
  const code = normaliseAccountCode(request.code);
  let accountName: string | null = null;
  if (code) {
    if (!accountCodePattern(settings.accountCodePattern).test(code)) {
      throw new ValidationError(`"${request.code}" is not a valid Sage account code (accountCodePattern ${settings.accountCodePattern})`, {
        code,
      });
    }
    const account = await findAccount(db, code);
    if (!account && !request.allowUnknown) {
      throw new ValidationError(
        `${code} is not in the Sage account mirror; check the spelling or import a fresh Sage customer export (woo-sage accounts import)`,
        { code },
      );
    }
    if (account?.status === 'inactive' && !request.allowUnknown) {
      throw new ConflictError(`${code} is marked inactive (missing from the last full Sage customer export)`, { code });
    }
    accountName = account?.name ?? null;
  }
  const before = await db('woo_customers').where({ id: request.customerId }).first('profile_code');
  const previousCode = before?.profile_code ?? null;
  const subject = `woo_customers.${request.customerId}`;

  try {
    await profileWriter.updateCustomerMeta(request.customerId, settings.profileMetaKey, code);
  } catch (err) {
    await recordAudit(db, {
      at: clock.now(),
      actor: request.actor,
      action: 'customer.link_failed',
      subject,
      before: previousCode,
      after: code || null,
      details: { error: err instanceof Error ? err.message : String(err) },
    });
    throw err;
  }

  const linked = await db.transaction(async (trx) => {
    const updated = await trx('woo_customers')
      .where({ id: request.customerId })
      .update({ profile_code: code || null });
    await recordAudit(trx, {
      at: clock.now(),
      actor: request.actor,
      action: code ? 'customer.link' : 'customer.unlink',
      subject,
      before: previousCode,
      after: code || null,
      details: { metaKey: settings.profileMetaKey, allowUnknown: request.allowUnknown === true },
    });
    const held = await trx('orders')
      .where({ customer_id: request.customerId, state: 'held' })
      .orderBy('id')
      .limit(HELD_ORDERS_TRIED)
      .pluck('id');
    return { updated, held: held.map(Number) };
  });
  // Only what is true: which held orders the link really frees, found by a dry run that changes nothing.
  const tried = linked.held.length
    ? (await reprocessOrders(db, { ids: linked.held }, { clock, actor: request.actor, dryRun: true, settings })).results
    : [];
  return {
    customerId: request.customerId,
    code: code || null,
    previousCode,
    accountName,
    localProfileUpdated: linked.updated > 0,
    heldOrderIds: tried.filter((r) => r.outcome === 'queued' || r.outcome === 'waiting').map((r) => r.orderId),
    stillHeld: tried
      .filter((r) => r.outcome !== 'queued' && r.outcome !== 'waiting')
      .map((r) => ({ orderId: r.orderId, reason: r.reason })),
  };
}

export interface CustomerLink {
  customerId: number;
  email: string | null;
  name: string;
  company: string | null;
  profileCode: string | null;
  status: LinkStatus;
  /** For conflicting links: what is wrong, in a sentence. */
  problem: string | null;
  account: { code: string; name: string | null; status: string } | null;
  /** Usable Sage accounts carrying the customer's email: suggestions for unlinked customers. */
  emailMatches: string[];
}

/** The linking table: customers linked / unlinked / conflicting, filterable and paged. */
export async function listCustomerLinks(db: Knex, filter: CustomerLinkFilter = {}): Promise<{ total: number; rows: CustomerLink[] }> {
  const settings = await getSettings(db);
  const pattern = accountCodePattern(settings.accountCodePattern);
  const { total, rows } = await queryCustomerLinks(db, filter);
  const matches = await accountsByEmails(
    db,
    rows.map((r) => r.email ?? ''),
  );
  return {
    total,
    rows: rows.map((row) => {
      const emailMatches = row.email ? (matches.get(row.email) ?? []) : [];
      const profileCode = row.profile_code?.trim() || null;
      return {
        customerId: row.id,
        email: row.email,
        name: [row.first_name, row.last_name].filter(Boolean).join(' '),
        company: row.company || null,
        profileCode,
        status: row.status,
        problem: row.status === 'conflicting' ? problemOf(profileCode!, row, emailMatches, pattern) : null,
        account: row.account_code ? { code: row.account_code, name: row.account_name, status: row.account_status ?? 'active' } : null,
        emailMatches,
      };
    }),
  };
}

function problemOf(
  profileCode: string,
  row: { account_code: string | null; account_status: string | null; email: string | null },
  emailMatches: string[],
  pattern: AccountCodePattern,
): string {
  const code = normaliseAccountCode(profileCode);
  if (!pattern.test(code)) return `The profile code "${profileCode}" is not a valid Sage account code.`;
  if (!row.account_code) return `The profile code ${code} is not in the Sage account mirror.`;
  if (row.account_status === 'inactive') return `The profile code ${code} is marked inactive (missing from the last full Sage export).`;
  return `The customer's email ${row.email} belongs to ${emailMatches.join(', ')}, not to the linked account ${code}.`;
}
