import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('sage_accounts', (t) => {
    t.string('code', 32).primary(); // Sage AccountReference
    t.string('name', 255).nullable();
    t.string('status', 16).notNullable(); // active | inactive | pending (created by us, not yet confirmed)
    t.string('origin', 16).notNullable(); // import | created
    // For accounts we create: "customer:<woo id>" or "guest:<email>", so one buyer never gets two.
    t.string('owner_key', 191).nullable().unique();
    t.text('details', 'longtext').nullable(); // JSON of the customer record
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.string('confirmed_at', 24).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('sage_accounts');
}
