import type { Knex } from 'knex';
import { booksDayOf, refundedMinorOf } from '../src/woo/books-facts.ts';

/**
 * The books ledger (`woo-sage books`) groups orders by their day in the shop's timezone and adds
 * up their refunds. Both live in the payload; reading 100,000 payloads for every ledger would be
 * slow, so the inbox keeps them in columns (indexed by day, then id, the ledger's keyset order).
 * Orders already stored are filled from their payloads here, a page at a time; the fill skips
 * rows already done, so a run interrupted part-way (MySQL DDL is not transactional) resumes.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('orders', (t) => {
    t.string('books_day', 10).nullable();
    t.bigInteger('refunds_minor').notNullable().defaultTo(0);
    t.index(['books_day', 'id']);
  });
  let after = 0;
  for (;;) {
    const rows: Array<{ id: number | string; payload: string; received_at: string }> = await db('orders')
      .whereNull('books_day')
      .andWhere('id', '>', after)
      .orderBy('id', 'asc')
      .limit(500)
      .select('id', 'payload', 'received_at');
    if (rows.length === 0) break;
    after = Number(rows[rows.length - 1]!.id);
    await db.transaction(async (trx) => {
      for (const row of rows) {
        let raw: unknown = null;
        try {
          raw = JSON.parse(String(row.payload));
        } catch {
          raw = null;
        }
        await trx('orders')
          .where({ id: row.id })
          .update({ books_day: booksDayOf(raw, String(row.received_at)), refunds_minor: refundedMinorOf(raw) });
      }
    });
  }
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('orders', (t) => {
    t.dropIndex(['books_day', 'id']);
    t.dropColumn('refunds_minor');
    t.dropColumn('books_day');
  });
}
