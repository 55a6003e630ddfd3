import type { Knex } from 'knex';
import { billingNameOf } from '../src/woo/order-facts.ts';
import { updateRowsById } from '../src/db/bulk-write.ts';

// Orders stored before billing_name existed get it from their payload. Separate from the column's
// migration because MySQL DDL is not transactional: an interrupted fill is simply run again (it
// only reads rows still without a name, in id order, a chunk at a time).
const CHUNK = 500;

export async function up(db: Knex): Promise<void> {
  let after = 0;
  for (;;) {
    const rows: Array<{ id: number | string; payload: string }> = await db('orders')
      .whereNull('billing_name')
      .where('id', '>', after)
      .orderBy('id', 'asc')
      .limit(CHUNK)
      .select('id', 'payload');
    if (rows.length === 0) return;
    const named = rows.flatMap((row) => {
      let billing: unknown;
      try {
        billing = (JSON.parse(String(row.payload)) as { billing?: unknown } | null)?.billing;
      } catch {
        return [];
      }
      const name = billingNameOf(billing);
      return name ? [{ id: Number(row.id), billing_name: name }] : [];
    });
    await updateRowsById(db, 'orders', named);
    after = Number(rows[rows.length - 1]!.id);
  }
}

export async function down(): Promise<void> {
  // Nothing to undo: the column's own migration drops it.
}
