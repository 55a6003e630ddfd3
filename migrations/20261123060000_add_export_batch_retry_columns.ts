import type { Knex } from 'knex';

/**
 * A folder batch whose files are staged (some may already be visible) cannot be given back to the
 * queue: it is finished later, after a backoff, counting its attempts.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('export_batches', (t) => {
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at', 24).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('export_batches', (t) => {
    t.dropColumn('attempts');
    t.dropColumn('next_attempt_at');
  });
}
