import type { Knex } from 'knex';

// The process stage pages through settled orders: customer_pending = false, oldest modification
// first, after the last one read (keyset). Without an index in that order SQLite scanned and
// sorted every order on each page: quadratic over a large backlog.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('orders', (t) => {
    t.index(['customer_pending', 'date_modified', 'id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('orders', (t) => {
    t.dropIndex(['customer_pending', 'date_modified', 'id']);
  });
}
