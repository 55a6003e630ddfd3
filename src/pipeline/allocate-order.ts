import type { Knex } from 'knex';
import { findAccount, findAccountByOwner, findCodesWithPrefix, loadMirrorSlice } from '../db/account-mirror.ts';
import { CodeTakenError, OwnerHasAccountError, reservePendingAccount } from '../db/account-codes.ts';
import { queueWriteback } from '../db/code-writebacks.ts';
import { withManualAccounts } from '../db/manual-accounts.ts';
import { sageAccountsKnown } from '../db/sage-accounts-known.ts';
import { transitionOrder } from '../db/order-events.ts';
import { withTransactionRetry } from '../db/transaction-retry.ts';
import { allocate } from '../domain/allocation/allocate.ts';
import type { InMemoryMirror } from '../domain/allocation/in-memory-mirror.ts';
import { codesNamedBy } from '../domain/allocation/order-facts.ts';
import { wooOrderFacts, type WooCustomerRow } from '../woo/domain-inputs.ts';
import type { AllocationSettings, Decision, NewAccountDetails, OrderFacts } from '../domain/allocation/types.ts';
import { unreadableOrderDecision } from '../domain/allocation/unreadable.ts';
import type { Clock } from '../domain/clock.ts';
import { AppError, ConflictError, NotFoundError } from '../domain/errors.ts';
import type { OrderState } from '../domain/order-state.ts';
import type { Settings } from '../settings/schema.ts';
import { parseOrder, type WooOrder } from '../woo/schemas.ts';

export type AllocateOrderSettings = AllocationSettings & Pick<Settings, 'writeBackNewCodes'>;

/** An order to allocate: its id, its `orders` row (id + payload), or the parsed order itself. */
export type OrderToAllocate = number | { id: number; payload: string | object } | WooOrder;

export interface NewAccount {
  code: string;
  ownerKey: string;
  details: NewAccountDetails;
  /** True when this call reserved the code; false when an earlier order's pending account is reused. */
  created: boolean;
}

export interface AllocateOrderResult {
  decision: Decision;
  /** Set for a NEW decision whose account is still pending: the Customer document to queue. */
  newAccount?: NewAccount;
}

// States from which an order's sales order has been (or is being) handed to Sage: re-allocating
// would silently move money between accounts.
const LOCKED_STATES: readonly OrderState[] = ['queued', 'delivered', 'imported'];
// Each lost race costs one; only a burst of many new buyers of one name, all at once, comes close.
const MAX_LOST_RACES = 200;

/**
 * Decides the order's Sage account, reserves a new account when the decision is NEW, stores the
 * decision and moves the order to `allocated` (or `held` with the reason). Runs inside the
 * caller's transaction so the documents stage can queue the Customer document atomically.
 */
export async function allocateOrder(
  trx: Knex.Transaction | Knex,
  order: OrderToAllocate,
  settings: AllocateOrderSettings,
  clock: Clock,
  actor: string,
): Promise<AllocateOrderResult> {
  const orderId = typeof order === 'number' ? order : order.id;
  const row = await trx('orders').where({ id: orderId }).first('id', 'state', 'payload');
  if (!row) throw new NotFoundError(`order ${orderId} is not in the inbox`, { orderId });
  if (LOCKED_STATES.includes(row.state)) {
    throw new ConflictError(`order ${orderId} is ${row.state}; its account can no longer change`, { orderId, state: row.state });
  }

  const parsed = readOrder(order, row.payload);
  if (!parsed.ok) return store(trx, orderId, unreadableOrderDecision(orderId, parsed.reason), undefined, clock, actor);

  const wooOrder = parsed.value;
  const customer =
    wooOrder.customer_id > 0
      ? (((await trx('woo_customers')
          .where({ id: wooOrder.customer_id })
          .first('id', 'profile_code', 'email', 'first_name', 'last_name', 'company')) as WooCustomerRow | undefined) ?? null)
      : undefined;
  const [facts] = await withManualAccounts(trx, [wooOrderFacts(wooOrder, customer, settings)]);
  const { decision, newAccount } = await decideAndReserve(trx, facts!, settings, clock);
  if (decision.rule === 'NEW' && settings.writeBackNewCodes && facts!.loggedIn && decision.accountCode) {
    await queueWriteback(trx, facts!.customerId, decision.accountCode, clock.now());
  }
  return store(trx, orderId, decision, newAccount, clock, actor);
}

/**
 * `allocateOrder` in its own transaction, run again if the database picks it as a deadlock victim.
 * On MySQL the transaction is READ COMMITTED so that, after losing a race for a code, it sees the
 * codes other workers committed and skips them at once instead of trying them one by one.
 */
export async function allocateOrderWithRetry(
  db: Knex,
  order: OrderToAllocate,
  settings: AllocateOrderSettings,
  clock: Clock,
  actor: string,
): Promise<AllocateOrderResult> {
  return withTransactionRetry(db, (trx) => allocateOrder(trx, order, settings, clock, actor), { readCommitted: true });
}

function readOrder(order: OrderToAllocate, storedPayload: string): { ok: true; value: WooOrder } | { ok: false; reason: string } {
  if (typeof order === 'object' && !('payload' in order)) return { ok: true, value: order };
  const payload = typeof order === 'object' ? order.payload : storedPayload;
  if (typeof payload !== 'string') return parseOrder(payload);
  try {
    return parseOrder(JSON.parse(payload));
  } catch {
    return { ok: false, reason: 'the stored WooCommerce payload is not valid JSON' };
  }
}

/**
 * Runs the pure rules against the slice of the mirror this order can touch. A NEW code is
 * reserved by inserting its pending row; if another worker got there first (the code, or this
 * buyer), the slice learns of it and the rules run again, so the decision always names the code
 * that was really reserved.
 */
async function decideAndReserve(
  trx: Knex.Transaction | Knex,
  facts: OrderFacts,
  settings: AllocationSettings,
  clock: Clock,
): Promise<AllocateOrderResult> {
  const mirror = await loadMirrorSlice(trx, {
    codes: codesNamedBy(facts),
    email: facts.billingEmail,
    ownerKey: facts.ownerKey,
  });
  const context = { sageAccountsKnown: await sageAccountsKnown(trx) };
  let loadedPrefix: string | null = null;
  let lostRaces = 0;
  while (lostRaces < MAX_LOST_RACES) {
    const decision = allocate(facts, settings, mirror, context);
    if (decision.rule !== 'NEW' || !decision.accountCode || !facts.ownerKey) return { decision };
    const code = decision.accountCode;
    const own = mirror.byOwner(facts.ownerKey);
    if (own?.code === code) return { decision, newAccount: await reusedAccount(trx, code, facts.ownerKey) };
    if (loadedPrefix === null || !code.startsWith(loadedPrefix)) {
      loadedPrefix = await loadTakenCodes(trx, mirror, code);
      continue;
    }
    try {
      await reservePendingAccount(
        trx,
        {
          code,
          ownerKey: facts.ownerKey,
          name: facts.newAccount.companyName,
          details: facts.newAccount,
          emails: [facts.billingEmail ?? ''],
        },
        clock.now(),
      );
      return { decision, newAccount: { code, ownerKey: facts.ownerKey, details: facts.newAccount, created: true } };
    } catch (err) {
      lostRaces++;
      if (err instanceof CodeTakenError) {
        mirror.markTaken(code);
        loadedPrefix = null; // others are racing for this stem: reload what they have committed
      } else if (err instanceof OwnerHasAccountError) {
        const winner = await findAccountByOwner(trx, facts.ownerKey, { current: true });
        if (winner) mirror.put({ code: winner.code, name: winner.name, status: winner.status, ownerKey: winner.owner_key, emails: [] });
      } else {
        throw err;
      }
    }
  }
  throw new AppError(
    'CODE_RESERVATION_FAILED',
    `could not reserve a new account code for order ${facts.orderId} after losing ${MAX_LOST_RACES} races to other workers`,
    503,
    {
      orderId: facts.orderId,
    },
  );
}

/** Marks every existing code sharing the proposal's letters as taken; returns the prefix loaded. */
async function loadTakenCodes(trx: Knex.Transaction | Knex, mirror: InMemoryMirror, proposal: string): Promise<string> {
  // A superset is harmless: loading "ROOM" for ROOM1001 covers every candidate that starts with it.
  const prefix = proposal.replace(/[0-9]+$/, '') || proposal.slice(0, 1);
  for (const taken of await findCodesWithPrefix(trx, prefix)) mirror.markTaken(taken);
  return prefix;
}

async function reusedAccount(trx: Knex.Transaction | Knex, code: string, ownerKey: string): Promise<NewAccount | undefined> {
  const row = await findAccount(trx, code);
  if (!row || row.status !== 'pending' || !row.details) return undefined;
  return { code, ownerKey, details: JSON.parse(row.details) as NewAccountDetails, created: false };
}

async function store(
  trx: Knex.Transaction | Knex,
  orderId: number,
  decision: Decision,
  newAccount: NewAccount | undefined,
  clock: Clock,
  actor: string,
): Promise<AllocateOrderResult> {
  const held = decision.rule === 'NONE';
  const waiting = decision.waitFor !== undefined;
  await transitionOrder(trx, {
    orderId,
    to: waiting ? 'waiting' : held ? 'held' : 'allocated',
    reason: decision.reason,
    actor,
    at: clock.now(),
    patch: {
      rule: waiting ? null : decision.rule,
      account_code: decision.accountCode,
      decision: JSON.stringify(decision),
      last_error: held && !waiting ? decision.reason : null,
      awaiting_accounts: waiting,
    },
  });
  return newAccount ? { decision, newAccount } : { decision };
}
