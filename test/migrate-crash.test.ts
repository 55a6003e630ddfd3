import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { dialectOf, openDatabase } from '../src/db/connection.ts';
import { parseDatabaseUrl } from '../src/db/database-url.ts';
import { migrateLatest, migrationConfig, migrationSource } from '../src/db/migrator.ts';
import { withMysqlMigrationMutex } from '../src/db/mysql-migration-recovery.ts';
import type { Knex } from 'knex';
import { runWooSageChild, startWooSage } from './helpers/child-cli.ts';
import { integrityProblems } from './helpers/db-integrity.ts';
import { createTestDatabase, testDialects, type TestDatabase } from './helpers/test-db.ts';
import { describeWhenAvailable, mysqlMissing } from './helpers/skip-with-reason.ts';

// A migration that alters a table that exists before it: an open transaction on that table makes
// MariaDB's ALTER wait for the table's metadata lock, so the kill lands inside the migration run.
const BLOCKED_MIGRATION = '20261123020100_add_last_import_id_to_sage_accounts.ts';

let current: TestDatabase | undefined;
afterEach(async () => {
  await current?.destroy();
  current = undefined;
});

async function migrateBefore(database: TestDatabase, name: string): Promise<void> {
  const earlier = {
    ...migrationSource,
    getMigrations: async () => (await migrationSource.getMigrations([])).filter((m) => m.file < name),
  };
  await database.db.migrate.latest({ ...migrationConfig, migrationSource: earlier });
}

/** True while another connection holds SQLite's write lock (an open write transaction). */
function writerHoldsLock(probe: Sqlite.Database): boolean {
  try {
    probe.exec('BEGIN IMMEDIATE');
    probe.exec('ROLLBACK');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw error;
  }
}

async function until(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('start-up migrations killed with SIGKILL', () => {
  for (const dialect of testDialects()) {
    it(`when a process is killed while it migrates the database, then the next start completes the migrations instead of refusing to run [${dialect}]`, async () => {
      current = await createTestDatabase(dialect, { migrate: false });
      const { db, url } = current;
      await migrateBefore(current, BLOCKED_MIGRATION);
      const env = { LOG_LEVEL: 'silent', DATABASE_URL: url };

      if (dialectOf(db) === 'mysql') {
        const holder = openDatabase(url);
        const trx = await holder.transaction();
        try {
          await trx('sage_accounts').select('code').limit(1);
          const child = startWooSage(['migrate'], env);
          await until(async () => {
            const [rows] = await db.raw(
              "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND STATE LIKE 'Waiting for table metadata lock'",
            );
            return Number(rows[0].n) > 0;
          }, 'the migration to wait for the table');
          // By now the migration run holds knex's lock row, committed by the DDL that started.
          expect(await db('knex_migrations_lock').first('is_locked')).toMatchObject({ is_locked: 1 });
          child.kill();
          expect((await child.done).signal).toBe('SIGKILL');
        } finally {
          await trx.rollback().catch(() => undefined);
          await holder.destroy();
        }
      } else {
        // SQLite migrates in one transaction; a kill at any moment of it must leave nothing behind.
        // The kill waits until that transaction holds the write lock (a probe's BEGIN IMMEDIATE is
        // refused), so it lands inside the migration run, never before or after it.
        const before = await db('knex_migrations').count({ n: '*' }).first();
        const probe = new Sqlite((parseDatabaseUrl(url) as { filename: string }).filename);
        probe.pragma('busy_timeout = 0');
        const child = startWooSage(['migrate'], env);
        try {
          const end = Date.now() + 20_000;
          while (!writerHoldsLock(probe)) {
            if (child.ended || Date.now() > end) throw new Error('the migration transaction was never seen holding the write lock');
            await new Promise((r) => setTimeout(r, 1));
          }
          child.kill();
          expect((await child.done).signal).toBe('SIGKILL');
        } finally {
          probe.close();
        }
        // Killed mid-migration: nothing of the run was committed, so the restart has work to do.
        expect(await db('knex_migrations').count({ n: '*' }).first()).toEqual(before);
      }

      const restarted = await runWooSageChild(['migrate', '--json'], env);
      expect(restarted.stderr).toBe('');
      expect(restarted.code).toBe(0);
      const all = (await migrationSource.getMigrations([])).map((m) => m.file);
      const applied = (await db('knex_migrations').pluck('name')) as string[];
      expect(applied.sort()).toEqual(all);
      expect(await db('knex_migrations_lock').first('is_locked')).toMatchObject({ is_locked: 0 });
      expect(await integrityProblems(db)).toEqual([]);
      // And the application runs on it.
      expect((await runWooSageChild(['orders', 'list', '--json'], env)).code).toBe(0);
    }, 60_000);
  }
});

describeWhenAvailable(mysqlMissing(), 'MySQL migration runs after a crash', () => {
  // Two one-change migrations under their own table names, so the real schema is not involved.
  const config: Knex.MigratorConfig = {
    tableName: 'probe_migrations',
    migrationSource: {
      getMigrations: async () => ['001_create_probe', '002_add_probe_note'],
      getMigrationName: (name: string) => name,
      getMigration: async (name: string) =>
        name === '001_create_probe'
          ? { up: (db: Knex) => db.schema.createTable('probe', (t) => void t.increments('id')), down: async () => undefined }
          : {
              up: (db: Knex) =>
                db.schema.alterTable('probe', (t) => {
                  t.string('note');
                  t.index(['note']);
                }),
              down: async () => undefined,
            },
    } as Knex.MigrationSource<string>,
  };
  const latest = (db: Knex) => withMysqlMigrationMutex(db, config, async (c) => ((await db.migrate.latest(c)) as [number, string[]])[1]);

  async function crashedDuring002(db: Knex): Promise<void> {
    await db.migrate.up({ ...config, name: '001_create_probe' });
    // What a process killed in 002 leaves: its first statement in effect, nothing recorded, the mark set.
    await db.raw('ALTER TABLE probe ADD note VARCHAR(255)');
    await db('probe_migrations_lock').update({ is_locked: 1 });
  }

  it('when the interrupted migration had taken effect in part, then the next run finishes it and records it once', async () => {
    current = await createTestDatabase('mysql', { migrate: false });
    const { db } = current;
    await crashedDuring002(db);
    expect(await latest(db)).toEqual(['002_add_probe_note']);
    expect(await db('probe_migrations').pluck('name')).toEqual(['001_create_probe', '002_add_probe_note']);
    const [indexes] = await db.raw("SHOW INDEX FROM probe WHERE Column_name = 'note'");
    expect(indexes).toHaveLength(1);
    expect(await db('probe_migrations_lock').first('is_locked')).toMatchObject({ is_locked: 0 });
  });

  it('when no run was interrupted, then a migration that clashes with the schema still fails loudly', async () => {
    current = await createTestDatabase('mysql', { migrate: false });
    const { db } = current;
    await crashedDuring002(db);
    await db('probe_migrations_lock').update({ is_locked: 0 });
    await expect(latest(db)).rejects.toThrow(/Duplicate column name 'note'/);
  });

  it('when two processes start on a database that needs migrating, then both wait their turn and the migrations run once', async () => {
    current = await createTestDatabase('mysql', { migrate: false });
    const other = openDatabase(current.url);
    try {
      const [a, b] = await Promise.all([migrateLatest(current.db), migrateLatest(other)]);
      const all = (await migrationSource.getMigrations([])).map((m) => m.file);
      expect([...a, ...b].sort()).toEqual(all);
      expect(await current.db('knex_migrations').count({ n: '*' }).first()).toMatchObject({ n: all.length });
    } finally {
      await other.destroy();
    }
  });
});
