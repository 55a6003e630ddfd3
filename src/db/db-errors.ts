import { AppError } from '../domain/errors.ts';
import type { Dialect } from './connection.ts';

/**
 * Driver errors translated per dialect, so callers branch on types, not on message text.
 * MySQL/MariaDB: ER_DUP_ENTRY "Duplicate entry 'X' for key 'sage_accounts_owner_key_unique'";
 * SQLite: SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY "UNIQUE constraint failed: sage_accounts.code".
 */
export class UniqueViolationError extends AppError {
  constructor(
    /** The index (MySQL) or "table.column" list (SQLite) that was violated. */
    readonly constraint: string,
    readonly primaryKey: boolean,
  ) {
    super('UNIQUE_VIOLATION', `a row with the same ${constraint} already exists`, 409, { constraint });
  }

  /** Whether the violated key covers this column (the primary key counts as `primaryColumn`). */
  involves(column: string, primaryColumn: string): boolean {
    if (this.primaryKey) return column === primaryColumn;
    return this.constraint.split(/[,\s]+/).some((part) => part === column || part.endsWith(`.${column}`) || part.includes(`_${column}_`));
  }
}

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
}

export function asUniqueViolation(err: unknown, dialect: Dialect): UniqueViolationError | undefined {
  const e = err as DriverError;
  if (!e || typeof e !== 'object') return undefined;
  if (dialect === 'mysql') {
    if (e.code !== 'ER_DUP_ENTRY' && e.errno !== 1062) return undefined;
    const key = /for key '([^']+)'/.exec(e.message ?? '')?.[1] ?? 'unknown';
    const name = key.includes('.') ? key.slice(key.lastIndexOf('.') + 1) : key;
    return new UniqueViolationError(name, name === 'PRIMARY');
  }
  if (e.code !== 'SQLITE_CONSTRAINT_UNIQUE' && e.code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return undefined;
  const columns = /constraint failed: (.+)$/.exec(e.message ?? '')?.[1]?.trim() ?? 'unknown';
  return new UniqueViolationError(columns, e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');
}

/** Lock conflicts that succeed when the whole transaction is simply run again. */
export function isTransientDbError(err: unknown): boolean {
  const e = err as DriverError;
  if (!e || typeof e !== 'object') return false;
  if (e.code === 'ER_LOCK_DEADLOCK' || e.code === 'ER_LOCK_WAIT_TIMEOUT' || e.errno === 1213 || e.errno === 1205) return true;
  return typeof e.code === 'string' && (e.code.startsWith('SQLITE_BUSY') || e.code.startsWith('SQLITE_LOCKED'));
}

/**
 * A failed statement as one line for a person and the logs: the database's own words and code.
 * knex puts the whole statement with its values in front of the driver's message, which would
 * copy order data (tens of kilobytes of it, from a hostile order) into errors and logs.
 */
export function describeDbError(err: unknown): string {
  const e = err as (DriverError & { sqlMessage?: string }) | null;
  const message = err instanceof Error ? err.message : String(err);
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !/^(ER_|SQLITE_)/.test(e.code)) return message.slice(0, 500);
  const words = e.sqlMessage ?? message.slice(message.lastIndexOf(' - ') + (message.includes(' - ') ? 3 : 0));
  return `database error ${e.code}: ${words}`.slice(0, 500);
}
