import type { Knex } from 'knex';
import { ConfigError } from '../../config/env.ts';
import { openDatabase } from './connection.ts';
import { describeDatabaseUrl, parseDatabaseUrl } from './database-url.ts';
import { migrateLatest } from './migrator.ts';

interface DriverError {
  code?: unknown;
  name?: unknown;
  message?: unknown;
}

/**
 * What is wrong with DATABASE_URL when the database cannot even be opened, in a person's words;
 * undefined for any other failure (a failed migration, a bug), which is not the URL's fault.
 */
export function describeConnectFailure(err: unknown, url: string): string | undefined {
  const e = (err ?? {}) as DriverError;
  const code = typeof e.code === 'string' ? e.code : '';
  const target = parseDatabaseUrl(url);
  const where = target.dialect === 'mysql' ? `${target.host}:${target.port}` : target.filename;
  const said = (): string => (typeof e.message === 'string' ? e.message.split('\n')[0]!.slice(0, 200) : code);
  let problem: string | undefined;
  switch (code) {
    case 'ECONNREFUSED':
      problem = `nothing answers at ${where} (connection refused); is MySQL/MariaDB running there?`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      problem = `the host ${target.dialect === 'mysql' ? target.host : where} cannot be found (${code})`;
      break;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      problem = `${where} does not answer (${code}); check the host, the port and any firewall`;
      break;
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
      problem = `the database refused the user name or password (${said()})`;
      break;
    case 'ER_BAD_DB_ERROR':
      problem = `the database does not exist on the server (${said()}); create it first (CREATE DATABASE … CHARACTER SET utf8mb4)`;
      break;
    case 'SQLITE_CANTOPEN':
      problem = `the SQLite file ${where} cannot be opened (check that it is a file and that this user may write there)`;
      break;
    case 'SQLITE_NOTADB':
      problem = `${where} is not a SQLite database file`;
      break;
    case 'SQLITE_READONLY':
      problem = `the SQLite file ${where} is read-only for this user`;
      break;
    default:
      if (e.name === 'KnexTimeoutError')
        problem = `${where} did not accept a connection in time; is the database server overloaded or unreachable?`;
      else if (code === 'PROTOCOL_CONNECTION_LOST' || code === 'HANDSHAKE_NO_SSL_SUPPORT')
        problem = `the server at ${where} closed the connection (${code}); is it a MySQL/MariaDB server?`;
  }
  return problem === undefined ? undefined : `DATABASE_URL: ${problem} (got ${JSON.stringify(describeDatabaseUrl(url))})`;
}

/**
 * Opens and migrates the configured database. A database that cannot be reached or opened is a
 * ConfigError naming DATABASE_URL (one line, exit 2 in the CLI), never a driver stack trace.
 */
export async function connectDatabase(url: string): Promise<{ db: Knex; applied: string[] }> {
  const db = openDatabase(url);
  try {
    return { db, applied: await migrateLatest(db) };
  } catch (err) {
    await db.destroy().catch(() => undefined);
    const problem = describeConnectFailure(err, url);
    throw problem ? new ConfigError([problem]) : err;
  }
}
