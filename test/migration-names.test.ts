import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { migrateLatest, migrationNames, migrationSource } from '../src/db/migrator.ts';
import { createTestDatabase, testDialects, type TestDatabase } from './helpers/test-db.ts';

const ROOT = path.join(import.meta.dirname, '..');
/** knex_migrations as the product recorded it before migrations/ moved to the root (a database migrated by commit 10f2f7d). */
const RECORDED_BEFORE = fs
  .readFileSync(path.join(import.meta.dirname, 'fixtures', 'knex-migrations-before-layout.txt'), 'utf8')
  .split('\n')
  .filter(Boolean);

/** knex's own CLI, as `npx knex …` runs it from the repository, with the project's knexfile. */
async function knexCli(args: string[], databaseUrl: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules', 'knex', 'bin', 'cli.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
  });
  return stdout;
}

/** Rewrites knex_migrations as the product before the move left it, keeping any migration added since. */
async function recordAsBefore(database: TestDatabase): Promise<void> {
  const last = RECORDED_BEFORE.at(-1)!;
  const since = (await migrationSource.getMigrations([])).map((m) => m.file).filter((name) => name > last);
  await database.db('knex_migrations').delete();
  await database
    .db('knex_migrations')
    .insert([...RECORDED_BEFORE, ...since].map((name) => ({ name, batch: 1, migration_time: new Date('2026-12-03T12:00:00Z') })));
}

describe('migration names', () => {
  it('when the build lists its compiled .js migrations, then they keep the .ts names databases hold; other files are not migrations', () => {
    const files = [
      '20261123000100_create_settings.js',
      '20261123000100_create_settings.js.map',
      'README.md',
      '20261123000200_create_audit_log.js',
    ];
    expect(migrationNames(files, '.js')).toEqual(['20261123000100_create_settings.ts', '20261123000200_create_audit_log.ts']);
    expect(migrationNames(files, '.ts')).toEqual([]);
    expect(migrationNames(['20261123000200_b.ts', '20261123000100_a.ts', '20261123000100_a.js'], '.ts')).toEqual([
      '20261123000100_a.ts',
      '20261123000200_b.ts',
    ]);
  });

  it('when the sources list the migrations, then the ones that existed before the move have exactly the names recorded then', async () => {
    const names = (await migrationSource.getMigrations([])).map((m) => m.file);
    expect(names.slice(0, RECORDED_BEFORE.length)).toEqual(RECORDED_BEFORE);
  });
});

for (const dialect of testDialects()) {
  describe(`a database migrated before migrations/ moved to the root [${dialect}]`, () => {
    it("when the app or knex's CLI looks at it, then it is up to date: nothing pending, nothing applied", async () => {
      const database = await createTestDatabase(dialect);
      try {
        await recordAsBefore(database);
        expect(await migrateLatest(database.db)).toEqual([]);
        const status = await knexCli(['migrate:status'], database.url);
        expect(status).toContain('No Pending Migration files Found.');
        expect(status).not.toContain('undefined');
        expect(await knexCli(['migrate:latest'], database.url)).toContain('Already up to date');
        expect(await database.db('knex_migrations').count({ n: '*' }).first()).toMatchObject({
          n: (await migrationSource.getMigrations([])).length,
        });
      } finally {
        await database.destroy();
      }
    }, 90_000);

    it("when knex's CLI migrates a database two migrations behind, then it applies them under the same names and the app finds nothing left", async () => {
      const database = await createTestDatabase(dialect, { migrate: false });
      try {
        const all = (await migrationSource.getMigrations([])).map((m) => m.file);
        const behind = all.slice(-2);
        await database.db.migrate.latest({
          migrationSource: { ...migrationSource, getMigrations: async () => (await migrationSource.getMigrations([])).slice(0, -2) },
          tableName: 'knex_migrations',
        });
        const status = await knexCli(['migrate:status'], database.url);
        expect(status).toContain('Found 2 Pending Migration file/files.');
        for (const name of behind) expect(status).toContain(name);
        expect(await knexCli(['migrate:latest'], database.url)).toContain('Batch 2 run: 2 migrations');
        expect(await database.db('knex_migrations').orderBy('id').pluck('name')).toEqual(all);
        expect(await migrateLatest(database.db)).toEqual([]);
      } finally {
        await database.destroy();
      }
    }, 90_000);
  });
}
