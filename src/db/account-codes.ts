import type { Knex } from 'knex';
import { toUtcIso } from '../domain/clock.ts';
import type { NewAccountDetails } from '../domain/allocation/types.ts';
import { dialectOf } from './connection.ts';
import { asUniqueViolation, UniqueViolationError } from './db-errors.ts';

type Db = Knex | Knex.Transaction;

export interface PendingAccount {
  code: string;
  ownerKey: string;
  name: string;
  details: NewAccountDetails;
  emails: string[];
}

/** The code is already someone else's: try the next one. */
export class CodeTakenError extends Error {
  constructor(readonly code: string) {
    super(`account code ${code} is already taken`);
  }
}

/** This buyer already has an account of ours (another worker created it first): use that one. */
export class OwnerHasAccountError extends Error {
  constructor(readonly ownerKey: string) {
    super(`an account already exists for ${ownerKey}`);
  }
}

/**
 * Reserves a new account code by inserting its `pending` row: the code (primary key) and the
 * owner (unique) make the database the referee between concurrent workers. Throws CodeTakenError
 * or OwnerHasAccountError on a conflict; a failed insert leaves the caller's transaction usable.
 */
export async function reservePendingAccount(db: Db, account: PendingAccount, at: Date): Promise<void> {
  const now = toUtcIso(at);
  try {
    await db('sage_accounts').insert({
      code: account.code,
      name: account.name.slice(0, 255),
      status: 'pending',
      origin: 'created',
      owner_key: account.ownerKey,
      details: JSON.stringify(account.details),
      created_at: now,
      updated_at: now,
    });
  } catch (err) {
    const violation = asUniqueViolation(err, dialectOf(db as Knex));
    if (!violation) throw err;
    throw conflictOf(violation, account);
  }
  const emails = [...new Set(account.emails.filter(Boolean))];
  if (emails.length > 0) await db('sage_account_emails').insert(emails.map((email) => ({ account_code: account.code, email })));
}

function conflictOf(violation: UniqueViolationError, account: PendingAccount): Error {
  if (violation.involves('owner_key', 'code')) return new OwnerHasAccountError(account.ownerKey);
  return new CodeTakenError(account.code);
}
