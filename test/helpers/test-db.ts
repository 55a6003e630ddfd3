import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase, type Dialect } from '../../src/db/connection.ts';
import { parseDatabaseUrl } from '../../src/db/database-url.ts';
import { migrateLatest } from '../../src/db/migrator.ts';
import { confirmSageHasNoCustomers } from '../../src/db/sage-accounts-known.ts';

export interface TestDatabase {
  dialect: Dialect;
  /** A DATABASE_URL for this database, e.g. to hand to a CLI run or a child process. */
  url: string;
  db: Knex;
  destroy(): Promise<void>;
}

/** The dialects tests run on: SQLite always, MariaDB/MySQL when MYSQL_TEST_URL is set. */
export function testDialects(): Dialect[] {
  return process.env.MYSQL_TEST_URL ? ['sqlite', 'mysql'] : ['sqlite'];
}

function uniqueName(): string {
  return `ws_t_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/**
 * A fresh, migrated database of the given dialect; nothing is shared with any other test file.
 * Unless `sageAccountsKnown: false`, the shop's Sage is on record as having no customers yet
 * (`accounts import --empty`), so new accounts can be created as in a shop that went live.
 */
export async function createTestDatabase(
  dialect: Dialect,
  options: { migrate?: boolean; sageAccountsKnown?: boolean } = {},
): Promise<TestDatabase> {
  let url: string;
  let cleanup: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-test-'));
    url = `sqlite:${path.join(dir, 'test.sqlite')}`;
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const serverUrl = process.env.MYSQL_TEST_URL;
    if (!serverUrl) throw new Error('MYSQL_TEST_URL is not set');
    const server = parseDatabaseUrl(serverUrl);
    if (server.dialect !== 'mysql') throw new Error('MYSQL_TEST_URL must be a mysql:// URL');
    const name = uniqueName();
    const admin = knex({
      client: 'mysql2',
      connection: { host: server.host, port: server.port, user: server.user, password: server.password },
    });
    await admin.raw('CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [name]);
    const parsed = new URL(serverUrl);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
    cleanup = async () => {
      // KEEP_TEST_DB=1 leaves a failing run's database for inspection.
      if (!process.env.KEEP_TEST_DB) await admin.raw('DROP DATABASE IF EXISTS ??', [name]);
      await admin.destroy();
    };
  }
  const db = openDatabase(url);
  if (options.migrate !== false) await migrateLatest(db);
  if (options.migrate !== false && options.sageAccountsKnown !== false) {
    await confirmSageHasNoCustomers(db, { actor: 'test', at: new Date('2026-01-01T00:00:00Z') });
  }
  return {
    dialect,
    url,
    db,
    async destroy() {
      await db.destroy();
      await cleanup();
    },
  };
}

/**
 * Declares the same suite once per dialect, each on its own fresh database created before the
 * suite and dropped after it. Tests get the database through the returned accessor.
 */
export function describeEachDialect(
  name: string,
  body: (ctx: () => TestDatabase) => void,
  options: { sageAccountsKnown?: boolean } = {},
): void {
  for (const dialect of testDialects()) {
    describe(`${name} [${dialect}]`, () => {
      let current: TestDatabase | undefined;
      beforeAll(async () => {
        current = await createTestDatabase(dialect, options);
      });
      afterAll(async () => {
        await current?.destroy();
      });
      body(() => {
        if (!current) throw new Error('test database not ready');
        return current;
      });
    });
  }
}
