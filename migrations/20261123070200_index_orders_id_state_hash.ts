import type { Knex } from 'knex';

// The process and delivery stages check the state (and content hash) of a chunk of orders by id.
// SQLite stores a row's columns in order, and those after the payload live in its overflow pages:
// every check read each order's whole payload, slower as the table outgrew the page cache (a
// 100,000-order backlog took minutes). This index answers those checks by itself.

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('orders', (t) => {
    t.index(['id', 'state', 'content_hash']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('orders', (t) => {
    t.dropIndex(['id', 'state', 'content_hash']);
  });
}
