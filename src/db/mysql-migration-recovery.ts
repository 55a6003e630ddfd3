import type { Knex } from 'knex';

/**
 * Makes a MySQL/MariaDB migration run that was killed part-way (an upgrade interrupted by a
 * reboot, the OOM killer, a deploy's SIGKILL) recoverable by simply starting again.
 *
 * MySQL has no transactional DDL, so knex's migration transaction does not protect it:
 * - the first DDL statement commits knex's `knex_migrations_lock` mark, and a dead process leaves
 *   it set: every later start would refuse with "Migration table is already locked";
 * - the server finishes a DDL statement whose client has died, and a migration's record in
 *   `knex_migrations` is committed only by the next statement: the migration that was running can
 *   be applied, in whole or in part, without being recorded, and running it again fails on
 *   "Duplicate column name" or "Table already exists".
 * (SQLite migrates in one transaction, which a crash rolls back.)
 *
 * So every run first takes a server-side named lock, which the server frees by itself when its
 * holder's connection dies. Whoever holds it knows no other woo-sage process is migrating, so a set
 * knex mark is left over from a dead one: it is cleared, and the first pending migration (the one
 * that was interrupted) is run again with its statements that are already in effect skipped.
 * Migrations are one change each, so each statement either took effect or did not.
 */

const MUTEX_WAIT_SECONDS = 120;
const LOCK_NAME = "CONCAT('woo-sage:migrate:', DATABASE())";

/** Errors of a DDL statement whose effect is already there. */
const ALREADY_IN_EFFECT = new Set([
  'ER_TABLE_EXISTS_ERROR',
  'ER_DUP_FIELDNAME',
  'ER_DUP_KEYNAME',
  'ER_FK_DUP_NAME',
  'ER_CANT_DROP_FIELD_OR_KEY',
  'ER_BAD_TABLE_ERROR',
]);

type MigrationRun<T> = (config: Knex.MigratorConfig) => Promise<T>;

export async function withMysqlMigrationMutex<T>(db: Knex, config: Knex.MigratorConfig, run: MigrationRun<T>): Promise<T> {
  const connection = await db.client.acquireConnection();
  try {
    const [rows] = await db.raw(`SELECT GET_LOCK(${LOCK_NAME}, ?) AS got`, [MUTEX_WAIT_SECONDS]).connection(connection);
    if (Number(rows[0]?.got) !== 1) {
      throw new Error(
        `another woo-sage process has been migrating this database for over ${MUTEX_WAIT_SECONDS} s; try again when it has finished`,
      );
    }
    const lockTable = `${config.tableName ?? 'knex_migrations'}_lock`;
    const stale = (await db.schema.hasTable(lockTable)) ? await db(lockTable).where({ is_locked: 1 }).update({ is_locked: 0 }) : 0;
    if (stale === 0) return await run(config);
    const [, pending] = (await db.migrate.list(config)) as [unknown[], unknown[]];
    return await run(pending.length === 0 ? config : resumingAt(config, pending[0]));
  } finally {
    await db
      .raw(`SELECT RELEASE_LOCK(${LOCK_NAME})`)
      .connection(connection)
      .catch(() => undefined);
    await db.client.releaseConnection(connection);
  }
}

/** The same migrations, with `interrupted` run so that what it had already done is skipped. */
function resumingAt(config: Knex.MigratorConfig, interrupted: unknown): Knex.MigratorConfig {
  const source = config.migrationSource as Knex.MigrationSource<unknown>;
  const interruptedName = source.getMigrationName(interrupted);
  const resuming: Knex.MigrationSource<unknown> = {
    getMigrations: (loadExtensions) => source.getMigrations(loadExtensions),
    getMigrationName: (entry) => source.getMigrationName(entry),
    async getMigration(entry) {
      const migration = await source.getMigration(entry);
      if (source.getMigrationName(entry) !== interruptedName) return migration;
      return { ...migration, up: (knex: Knex) => skippingWhatIsInEffect(knex, async () => void (await migration.up(knex))) };
    },
  };
  return { ...config, migrationSource: resuming };
}

interface QueryingClient {
  _query(connection: unknown, obj: unknown): Promise<unknown>;
}

/** Runs `fn` with statements on `knex` that fail only because their effect is there treated as done. */
async function skippingWhatIsInEffect(knex: Knex, fn: () => Promise<void>): Promise<void> {
  // knex offers no hook to let a statement's error pass, so the migration's own client (a
  // transaction's client when knex wraps the run in one) is wrapped for the length of this call.
  const client = knex.client as unknown as QueryingClient;
  const own = Object.prototype.hasOwnProperty.call(client, '_query');
  const original = client._query;
  client._query = async function (this: unknown, connection: unknown, obj: unknown) {
    try {
      return await original.call(this, connection, obj);
    } catch (err) {
      if (!ALREADY_IN_EFFECT.has((err as { code?: string }).code ?? '')) throw err;
      const query = typeof obj === 'object' && obj !== null ? obj : { sql: obj };
      return Object.assign(query, { response: [{ affectedRows: 0 }, undefined] });
    }
  };
  try {
    await fn();
  } finally {
    if (own) client._query = original;
    else delete (client as Partial<QueryingClient>)._query;
  }
}
