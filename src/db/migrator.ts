import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { dialectOf } from './connection.ts';
import { withMysqlMigrationMutex } from './mysql-migration-recovery.ts';

const HERE = fileURLToPath(import.meta.url);
/** The repository's `migrations/` from the sources (src/db), `dist/migrations/` from the build (dist/src/db). */
const MIGRATIONS_DIR = path.join(path.dirname(HERE), '..', '..', 'migrations');
/** `.ts` when running the sources, `.js` when running the build: the migrations are in the same form as this module. */
const LOADED_EXTENSION = path.extname(HERE);
const MIGRATION_FILE = /^(\d{14}_[a-z0-9_]+)\.(ts|js)$/;

interface MigrationModule {
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}

/**
 * The names the migrations among `files` are recorded under in knex_migrations, in order. Databases
 * migrated before the build existed hold `<stamp>_<name>.ts`; the compiled `.js` files keep that
 * name, so a database is up to date whichever form of the product migrated it.
 */
export function migrationNames(files: readonly string[], extension: string): string[] {
  const names: string[] = [];
  for (const file of files) {
    const match = MIGRATION_FILE.exec(file);
    if (match && `.${match[2]}` === extension) names.push(`${match[1]}.ts`);
  }
  return names.sort();
}

/** One migration as our source lists it; `file` is its recorded name (knex's CLI prints pending ones by `file`). */
export interface MigrationEntry {
  readonly file: string;
}

/**
 * Loads migrations through our own dynamic import rather than knex's file loader, so the same
 * files run from the TypeScript sources (vitest, tsx) and from the compiled build (dist/).
 */
export const migrationSource: Knex.MigrationSource<MigrationEntry> = {
  async getMigrations() {
    return migrationNames(fs.readdirSync(MIGRATIONS_DIR), LOADED_EXTENSION).map((file) => ({ file }));
  },
  getMigrationName(entry) {
    return entry.file;
  },
  async getMigration(entry) {
    const file = entry.file.replace(/\.ts$/, LOADED_EXTENSION);
    const mod = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as MigrationModule;
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
