import type { Knex } from 'knex';

/** One digest on one channel (email, webhook): pending with its backoff, sent, or failed for good. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('notification_deliveries', (t) => {
    t.increments('id').primary();
    t.integer('digest_id').unsigned().notNullable();
    t.string('channel', 16).notNullable(); // email | webhook
    t.string('state', 16).notNullable(); // pending | sent | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at', 24).nullable();
    t.text('last_error').nullable();
    t.string('sent_at', 24).nullable();
    t.unique(['digest_id', 'channel']);
    t.index(['state', 'next_attempt_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('notification_deliveries');
}
