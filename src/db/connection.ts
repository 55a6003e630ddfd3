import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { ConfigError } from '../../config/env.ts';
import { DEFAULT_DATABASE_URL, describeDatabaseUrl, parseDatabaseUrl, type DatabaseTarget } from './database-url.ts';

export type Dialect = DatabaseTarget['dialect'];

/**
 * knex's own messages go to stderr, never stdout (where `--json` answers go). A failed connection
 * is not printed: the caller gets the error and says it in one line (src/db/connect.ts); knex would
 * print it with a stack.
 */
const knexLog = {
  warn(message: unknown) {
    if (typeof message === 'string' && message.startsWith('Acquire connection error')) return;
    process.stderr.write(`knex: ${String(message)}\n`);
  },
  error(message: unknown) {
    process.stderr.write(`knex: ${String(message)}\n`);
  },
  deprecate(method: string, alternative: string) {
    process.stderr.write(`knex: ${method} is deprecated, use ${alternative}\n`);
  },
  debug() {},
};

/** Builds the knex configuration for a DATABASE_URL; both dialects store and read times as UTC. */
export function knexConfigFor(url: string): Knex.Config {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite') {
    return {
      log: knexLog,
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
    log: knexLog,
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

/**
 * The SQLite file's folder must exist, except the default `./data`, which is created: a mistyped
 * path would otherwise grow a tree of folders from wherever it pointed (even from `/`).
 */
function ensureSqliteFolder(filename: string, url: string): void {
  const folder = path.dirname(filename);
  if (fs.existsSync(folder)) {
    if (!fs.statSync(folder).isDirectory()) {
      throw new ConfigError([
        `DATABASE_URL: ${folder} is a file, not a folder, so the SQLite file cannot go there (got ${JSON.stringify(describeDatabaseUrl(url))})`,
      ]);
    }
    return;
  }
  const defaultTarget = parseDatabaseUrl(DEFAULT_DATABASE_URL);
  if (defaultTarget.dialect === 'sqlite' && folder === path.dirname(defaultTarget.filename)) {
    fs.mkdirSync(folder);
    return;
  }
  throw new ConfigError([
    `DATABASE_URL: the folder ${folder} does not exist; create it first or choose another path for the SQLite file (got ${JSON.stringify(describeDatabaseUrl(url))})`,
  ]);
}

/** Creates the default SQLite folder, or says what is wrong with the one DATABASE_URL names. */
export function ensureDatabaseFolder(url: string): void {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite' && target.filename !== ':memory:') ensureSqliteFolder(target.filename, url);
}

/** Opens the database named by a DATABASE_URL (no connection is made until the first query). */
export function openDatabase(url: string): Knex {
  ensureDatabaseFolder(url);
  return knex(knexConfigFor(url));
}

export function dialectOf(db: Knex): Dialect {
  const client = String(db.client.config.client);
  return client === 'mysql2' || client === 'mysql' ? 'mysql' : 'sqlite';
}
