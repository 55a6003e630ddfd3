import type { Knex } from 'knex';

/**
 * Each notification digest as it was written, so a retry sends the same words and a restart loses
 * nothing: the order problems it lists are in notified_problems, its sending per channel in
 * notification_deliveries.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('notification_digests', (t) => {
    t.increments('id').primary();
    t.string('created_at', 24).notNullable().index();
    t.string('subject', 255).notNullable();
    t.text('body', 'mediumtext').notNullable(); // plain text, for email
    t.text('webhook_text', 'mediumtext').notNullable(); // the same, escaped for Slack-style mrkdwn
    t.integer('problem_count').notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('notification_digests');
}
