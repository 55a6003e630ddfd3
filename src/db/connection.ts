import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url.ts';

export type Dialect = DatabaseTarget['dialect'];

/** Builds the knex configuration for a DATABASE_URL; both dialects store and read times as UTC. */
export function knexConfigFor(url: string): Knex.Config {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite') {
    return {
      client: 'better-sqlite3',
      connection: { filename: target.filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: { pragma(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
          // WAL lets the admin page read while a sync writes; busy_timeout rides out a second CLI process.
          conn.pragma('journal_mode = WAL');
          conn.pragma('foreign_keys = ON');
          conn.pragma('busy_timeout = 5000');
          conn.pragma('synchronous = NORMAL');
          done(null, conn);
        },
      },
    };
  }
  return {
    client: 'mysql2',
    connection: {
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      database: target.database,
      timezone: 'Z',
      charset: 'utf8mb4',
      supportBigNumbers: true,
      bigNumberStrings: false,
    },
    pool: { min: 0, max: 10 },
  };
}

/** Opens the database named by a DATABASE_URL, creating the SQLite file's folder when needed. */
export function openDatabase(url: string): Knex {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite' && target.filename !== ':memory:') {
    fs.mkdirSync(path.dirname(target.filename), { recursive: true });
  }
  return knex(knexConfigFor(url));
}

export function dialectOf(db: Knex): Dialect {
  const client = String(db.client.config.client);
  return client === 'mysql2' || client === 'mysql' ? 'mysql' : 'sqlite';
}
