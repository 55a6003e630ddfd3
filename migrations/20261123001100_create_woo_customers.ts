import type { Knex } from 'knex';

// The WooCommerce customers we have seen (fetched in batches while polling): their profile
// account code drives rule PROFILE, and support staff link them to Sage accounts.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('woo_customers', (t) => {
    t.bigInteger('id').unsigned().primary(); // the WooCommerce customer id
    t.string('email', 255).nullable().index(); // trimmed, case-folded
    t.string('first_name', 255).nullable();
    t.string('last_name', 255).nullable();
    t.string('company', 255).nullable();
    t.string('profile_code', 64).nullable().index(); // raw value of the profile meta key, trimmed
    t.text('payload', 'longtext').notNullable();
    t.string('date_modified', 24).nullable();
    t.string('fetched_at', 24).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('woo_customers');
}
