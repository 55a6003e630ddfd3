import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('orders', (t) => {
    t.bigInteger('id').unsigned().primary(); // the WooCommerce order id
    t.string('number', 64).nullable();
    t.string('status', 32).notNullable(); // WooCommerce status
    t.bigInteger('customer_id').unsigned().notNullable().defaultTo(0); // 0 = guest
    t.string('billing_email', 255).nullable();
    t.string('currency', 3).nullable();
    t.bigInteger('total_minor').nullable();
    t.string('date_created', 24).nullable();
    t.string('date_modified', 24).notNullable(); // WooCommerce date_modified_gmt, UTC
    t.text('payload', 'longtext').notNullable();
    t.string('content_hash', 64).notNullable();
    t.string('state', 24).notNullable(); // received | held | waiting | allocated | queued | delivered | imported | failed | cancelled
    t.string('state_changed_at', 24).notNullable();
    t.string('settle_at', 24).nullable(); // when a waiting order becomes eligible
    t.text('last_error').nullable();
    t.text('decision').nullable(); // JSON: rule, accountCode, reason, trace
    t.string('rule', 16).nullable();
    t.string('account_code', 32).nullable();
    t.string('exported_hash', 64).nullable(); // content hash when its sales order was queued
    t.boolean('changed_after_export').notNullable().defaultTo(false);
    t.text('change_summary').nullable();
    t.string('received_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.index(['state', 'settle_at']);
    t.index(['date_modified']);
    t.index(['billing_email']);
    t.index(['customer_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('orders');
}
