import type { Knex } from 'knex';
import { dialectOf } from './connection.ts';
import { isTransientDbError } from './db-errors.ts';

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
  /** MySQL: READ COMMITTED, so a retried read sees rows other workers committed meanwhile. */
  readCommitted?: boolean;
}

/**
 * Runs `fn` in a transaction, running it again when the database gives up on a lock conflict
 * (a MySQL deadlock victim is rolled back whole; SQLite may report busy). Other errors pass through.
 */
export async function withTransactionRetry<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 8;
  const base = options.baseDelayMs ?? 10;
  const config: Knex.TransactionConfig = options.readCommitted && dialectOf(db) === 'mysql' ? { isolationLevel: 'read committed' } : {};
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn, config);
    } catch (err) {
      if (attempt >= attempts || !isTransientDbError(err)) throw err;
      const delay = base * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * delay));
    }
  }
}
