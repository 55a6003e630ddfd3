import type { Knex } from 'knex';
import { findCodesWithPrefix } from '../db/account-mirror.ts';
import { insertInChunks } from '../db/bulk-write.ts';
import { allocate } from '../domain/allocation/allocate.ts';
import { InMemoryMirror } from '../domain/allocation/in-memory-mirror.ts';
import { codesNamedBy } from '../domain/allocation/order-facts.ts';
import type {
  AccountStatus,
  AllocationContext,
  AllocationSettings,
  Decision,
  NewAccountDetails,
  OrderFacts,
} from '../domain/allocation/types.ts';
import { sageAccountsKnown } from '../db/sage-accounts-known.ts';
import { applyOpenClashes } from '../db/account-clashes.ts';
import { toUtcIso } from '../domain/clock.ts';
import { AppError } from '../domain/errors.ts';

/** The new account an order's Customer document is for (reserved now, or pending from earlier). */
export interface ChunkAccount {
  code: string;
  ownerKey: string;
  details: NewAccountDetails;
  /** True when this chunk reserved the code; false when an earlier order's pending account is reused. */
  created: boolean;
}

interface AccountRow {
  code: string;
  name: string | null;
  status: AccountStatus;
  owner_key: string | null;
  details: string | null;
}

interface Reservation {
  code: string;
  ownerKey: string;
  name: string;
  details: NewAccountDetails;
  email: string | null;
}

const ROWS_PER_QUERY = 500;
const PREFIXES_PER_QUERY = 50;
// Proposals that keep landing on codes the mirror learns are taken; only absurd data comes close.
const MAX_ROUNDS = 200;

/**
 * The part of the Sage account mirror that a chunk of orders can touch, read in a few queries:
 * the accounts of the orders' profile codes, billing emails and owners, and every code sharing the
 * letters of a code the rules may propose. New accounts are reserved in memory, seen by the later
 * orders of the chunk, and inserted together at the end; the database's keys (code, owner) still
 * referee: a clash with another worker fails the chunk, and the caller retries order by order.
 */
export class ChunkMirror {
  private readonly mirror = new InMemoryMirror();
  private readonly details = new Map<string, string | NewAccountDetails | null>();
  private readonly loadedPrefixes = new Set<string>();
  private readonly reservations: Reservation[] = [];
  private context: AllocationContext = { sageAccountsKnown: true };

  static async load(db: Knex | Knex.Transaction, facts: readonly OrderFacts[], settings: AllocationSettings): Promise<ChunkMirror> {
    const chunk = new ChunkMirror();
    chunk.context = { sageAccountsKnown: await sageAccountsKnown(db) };
    const codes = [...new Set(facts.flatMap(codesNamedBy))];
    const owners = [...new Set(facts.flatMap((f) => (f.ownerKey ? [f.ownerKey] : [])))];
    const emails = [...new Set(facts.flatMap((f) => (f.billingEmail ? [f.billingEmail] : [])))];
    const columns = ['a.code', 'a.name', 'a.status', 'a.owner_key', 'a.details'];
    for (let i = 0; i < codes.length; i += ROWS_PER_QUERY) {
      const rows: AccountRow[] = await db('sage_accounts as a')
        .whereIn('a.code', codes.slice(i, i + ROWS_PER_QUERY))
        .select(columns);
      for (const row of rows) chunk.add(row, null);
    }
    for (let i = 0; i < owners.length; i += ROWS_PER_QUERY) {
      const rows: AccountRow[] = await db('sage_accounts as a')
        .whereIn('a.owner_key', owners.slice(i, i + ROWS_PER_QUERY))
        .select(columns);
      // MySQL compares with the column's collation; an owner key must match exactly.
      for (const row of rows) if (row.owner_key !== null && owners.includes(row.owner_key)) chunk.add(row, null);
    }
    const wanted = new Set(emails);
    for (let i = 0; i < emails.length; i += ROWS_PER_QUERY) {
      const rows: Array<AccountRow & { email: string }> = await db('sage_account_emails as e')
        .join('sage_accounts as a', 'a.code', 'e.account_code')
        .whereIn('e.email', emails.slice(i, i + ROWS_PER_QUERY))
        .select([...columns, 'e.email']);
      for (const row of rows) if (wanted.has(row.email)) chunk.add(row, row.email);
    }
    await applyOpenClashes(db, chunk.mirror, emails);
    await chunk.preloadPrefixes(db, facts, settings);
    return chunk;
  }

  private add(row: AccountRow, email: string | null): void {
    const known = this.mirror.byCode(row.code);
    const emails = [...(known?.emails ?? []), ...(email ? [email] : [])];
    this.mirror.put({ code: row.code, name: row.name ?? null, status: row.status, ownerKey: row.owner_key ?? null, emails });
    this.details.set(row.code, row.details);
  }

  /** The codes that share letters with the codes the rules would propose, in a few queries. */
  private async preloadPrefixes(db: Knex | Knex.Transaction, facts: readonly OrderFacts[], settings: AllocationSettings): Promise<void> {
    const prefixes = new Set<string>();
    for (const f of facts) {
      if (!f.ownerKey) continue;
      const decision = allocate(f, settings, this.mirror, this.context);
      if (decision.rule === 'NEW' && decision.accountCode) prefixes.add(prefixOf(decision.accountCode));
    }
    const valid = [...prefixes].filter((p) => /^[A-Z0-9]+$/.test(p));
    for (let i = 0; i < valid.length; i += PREFIXES_PER_QUERY) {
      const group = valid.slice(i, i + PREFIXES_PER_QUERY);
      const rows: Array<{ code: string }> = await db('sage_accounts')
        .where((q) => {
          for (const prefix of group) q.orWhere('code', 'like', `${prefix}%`);
        })
        .select('code');
      for (const row of rows) this.mirror.markTaken(row.code);
      for (const prefix of group) this.loadedPrefixes.add(prefix);
    }
  }

  /**
   * The rules against the mirror, as `allocateOrder` runs them: a NEW code is proposed once every
   * code sharing its letters is known, and reserved (in memory, written by writeReservations).
   */
  async decide(
    db: Knex | Knex.Transaction,
    facts: OrderFacts,
    settings: AllocationSettings,
  ): Promise<{ decision: Decision; account?: ChunkAccount }> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const decision = allocate(facts, settings, this.mirror, this.context);
      if (decision.rule !== 'NEW' || !decision.accountCode || !facts.ownerKey) return { decision };
      const code = decision.accountCode;
      const own = this.mirror.byOwner(facts.ownerKey);
      if (own?.code === code) return { decision, account: this.pendingAccount(code, facts.ownerKey) };
      if (![...this.loadedPrefixes].some((p) => code.startsWith(p))) {
        const prefix = prefixOf(code);
        for (const taken of await findCodesWithPrefix(db, prefix)) this.mirror.markTaken(taken);
        this.loadedPrefixes.add(prefix);
        continue;
      }
      const name = facts.newAccount.companyName.slice(0, 255);
      this.reservations.push({ code, ownerKey: facts.ownerKey, name, details: facts.newAccount, email: facts.billingEmail });
      this.mirror.put({ code, name, status: 'pending', ownerKey: facts.ownerKey, emails: facts.billingEmail ? [facts.billingEmail] : [] });
      this.details.set(code, facts.newAccount);
      return { decision, account: { code, ownerKey: facts.ownerKey, details: facts.newAccount, created: true } };
    }
    throw new AppError('CODE_RESERVATION_FAILED', `could not find a free new account code for order ${facts.orderId}`, 503, {
      orderId: facts.orderId,
    });
  }

  /**
   * The account of ours behind a decision's code when Sage has not confirmed it yet (e.g. an email
   * match to it): its Customer document must be queued before the sales order that names it.
   */
  pendingFor(code: string): ChunkAccount | undefined {
    const ownerKey = this.mirror.byCode(code)?.ownerKey;
    return ownerKey ? this.pendingAccount(code, ownerKey) : undefined;
  }

  /** An account of ours for this buyer that Sage has not confirmed: its Customer document goes again. */
  private pendingAccount(code: string, ownerKey: string): ChunkAccount | undefined {
    const account = this.mirror.byCode(code);
    const details = this.details.get(code);
    if (!account || account.status !== 'pending' || !details) return undefined;
    const parsed = typeof details === 'string' ? (JSON.parse(details) as NewAccountDetails) : details;
    return { code, ownerKey, details: parsed, created: false };
  }

  /** Inserts the accounts reserved in this chunk (pending, with their emails). */
  async writeReservations(db: Knex | Knex.Transaction, at: Date): Promise<void> {
    if (this.reservations.length === 0) return;
    const now = toUtcIso(at);
    await insertInChunks(
      db,
      'sage_accounts',
      this.reservations.map((r) => ({
        code: r.code,
        name: r.name,
        status: 'pending',
        origin: 'created',
        owner_key: r.ownerKey,
        details: JSON.stringify(r.details),
        created_at: now,
        updated_at: now,
      })),
    );
    await insertInChunks(
      db,
      'sage_account_emails',
      this.reservations.flatMap((r) => (r.email ? [{ account_code: r.code, email: r.email }] : [])),
    );
  }
}

/** A superset is harmless: loading "ROOM" for ROOM1001 covers every candidate that starts with it. */
function prefixOf(code: string): string {
  return code.replace(/[0-9]+$/, '') || code.slice(0, 1);
}
