import type { Knex } from 'knex';
import { dialectOf } from '../../src/db/connection.ts';

/**
 * Problems the database engine itself finds: SQLite's integrity and foreign-key checks, or
 * MariaDB's CHECK TABLE on every table. Empty when the database is sound.
 */
export async function integrityProblems(db: Knex): Promise<string[]> {
  if (dialectOf(db) === 'sqlite') {
    const integrity = (await db.raw('PRAGMA integrity_check')) as Array<{ integrity_check: string }>;
    const keys = (await db.raw('PRAGMA foreign_key_check')) as unknown[];
    return [
      ...integrity.map((r) => r.integrity_check).filter((text) => text !== 'ok'),
      ...keys.map((k) => `foreign key violation: ${JSON.stringify(k)}`),
    ];
  }
  const [tables] = (await db.raw('SHOW TABLES')) as [Array<Record<string, string>>];
  const names = tables.map((row) => Object.values(row)[0]!);
  const [checked] = (await db.raw(`CHECK TABLE ${names.map(() => '??').join(', ')}`, names)) as [
    Array<{ Table: string; Msg_type: string; Msg_text: string }>,
  ];
  return checked
    .filter((r) => r.Msg_type === 'error' || (r.Msg_type === 'status' && r.Msg_text !== 'OK'))
    .map((r) => `${r.Table}: ${r.Msg_text}`);
}
