import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('export_jobs', (t) => {
    t.increments('id').primary();
    // "sales_order:<order id>", "customer:<account code>", "credit_note:<refund id>": queueing is idempotent.
    t.string('job_key', 191).notNullable().unique();
    t.string('kind', 24).notNullable(); // customer | sales_order | credit_note
    t.bigInteger('order_id').unsigned().nullable();
    t.string('account_code', 32).nullable();
    t.integer('depends_on_job_id').unsigned().nullable(); // a sales order waits for its new customer
    t.text('document', 'longtext').notNullable(); // the rendered XML element
    t.string('state', 16).notNullable(); // queued | claimed | delivered | imported | failed | cancelled
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('max_attempts').notNullable().defaultTo(10);
    t.string('next_attempt_at', 24).notNullable();
    t.string('locked_by', 191).nullable();
    t.string('locked_until', 24).nullable();
    t.text('last_error').nullable();
    t.integer('batch_id').unsigned().nullable();
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.string('delivered_at', 24).nullable();
    t.index(['order_id']);
    t.index(['state', 'next_attempt_at']);
    t.index(['batch_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('export_jobs');
}
