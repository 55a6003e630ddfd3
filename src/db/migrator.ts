import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { dialectOf } from './connection.ts';
import { withMysqlMigrationMutex } from './mysql-migration-recovery.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const MIGRATION_FILE = /^\d{14}_[a-z0-9_]+\.ts$/;

interface MigrationModule {
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}

/**
 * Loads migrations through our own dynamic import rather than knex's file loader, so the same
 * TypeScript files run under tsx (the CLI) and under vitest without a build step.
 */
export const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((name) => MIGRATION_FILE.test(name))
      .sort();
  },
  getMigrationName(name) {
    return name;
  },
  async getMigration(name) {
    const mod = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, name)).href)) as MigrationModule;
    return { up: mod.up, down: mod.down };
  },
};

export const migrationConfig: Knex.MigratorConfig = {
  migrationSource,
  tableName: 'knex_migrations',
};

/** Applies every pending migration; returns the names applied. */
export async function migrateLatest(db: Knex): Promise<string[]> {
  if (dialectOf(db) !== 'mysql') return ((await db.migrate.latest(migrationConfig)) as [number, string[]])[1];
  return withMysqlMigrationMutex(db, migrationConfig, async (config) => ((await db.migrate.latest(config)) as [number, string[]])[1]);
}
