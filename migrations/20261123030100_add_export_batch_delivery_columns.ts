import type { Knex } from 'knex';

/**
 * Crash-safe delivery: a batch is leased by one deliverer, records the files it stages before any
 * of them is moved into the outbox folder, and keeps the last error of a failed attempt.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('export_batches', (t) => {
    t.string('locked_by', 191).nullable();
    t.string('locked_until', 24).nullable();
    t.text('files').nullable(); // JSON array of file names, in the order they are moved into place
    t.string('staged_at', 24).nullable();
    t.text('last_error').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('export_batches', (t) => {
    t.dropColumn('locked_by');
    t.dropColumn('locked_until');
    t.dropColumn('files');
    t.dropColumn('staged_at');
    t.dropColumn('last_error');
  });
}
