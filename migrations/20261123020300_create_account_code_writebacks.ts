import type { Knex } from 'knex';

// Outbox of new account codes to write back to the logged-in buyer's WooCommerce profile
// (writeBackNewCodes). Queued in the allocation transaction; written later, never blocking it.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('account_code_writebacks', (t) => {
    t.bigInteger('customer_id').unsigned().primary(); // the WooCommerce customer
    t.string('account_code', 32).notNullable();
    t.string('state', 16).notNullable(); // pending (due at next_attempt_at) | done | failed (gave up) | skipped
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at', 24).notNullable();
    t.string('locked_by', 191).nullable();
    t.text('last_error').nullable();
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.string('done_at', 24).nullable();
    t.index(['state', 'next_attempt_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('account_code_writebacks');
}
