import { expect, it } from 'vitest';
import { insertInChunks, updateRowsById } from '../src/db/bulk-write.ts';
import { insertOrderRow } from './helpers/factories.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('bulk writes', (ctx) => {
  it('when many rows get different values in one update, then each row gets its own values and keeps the columns it did not name', async () => {
    const { db } = ctx();
    const ids = Array.from({ length: 450 }, (_, i) => 90_000 + i);
    for (const id of ids) await insertOrderRow(db, { id, state: 'waiting', last_error: 'old', rule: null, account_code: null });
    await updateRowsById(
      db,
      'orders',
      ids.map((id, i) => ({
        id,
        // the same for every row; a handful of values; one per row; named by some rows only
        state: 'queued',
        rule: ['NEW', 'EXISTING', 'PROFILE'][i % 3],
        account_code: `C${i}`,
        ...(i % 2 === 0 ? { last_error: i % 4 === 0 ? null : `error ${i}` } : {}),
      })),
    );
    const rows = await db('orders').whereIn('id', ids).orderBy('id').select('id', 'state', 'rule', 'account_code', 'last_error');
    expect(rows).toEqual(
      ids.map((id, i) => ({
        id,
        state: 'queued',
        rule: ['NEW', 'EXISTING', 'PROFILE'][i % 3],
        account_code: `C${i}`,
        last_error: i % 2 === 0 ? (i % 4 === 0 ? null : `error ${i}`) : 'old',
      })),
    );
    const untouched = await insertOrderRow(db, { id: 99_999, state: 'waiting' });
    await updateRowsById(db, 'orders', [{ id: 90_000, state: 'held' }]);
    expect((await db('orders').where({ id: untouched }).first('state')).state).toBe('waiting');
  });

  it('when rows are inserted in chunks, then all of them are there', async () => {
    const { db } = ctx();
    const rows = Array.from({ length: 450 }, (_, i) => ({
      order_id: 90_000 + i,
      at: '2026-01-01T00:00:00.000Z',
      from_state: 'waiting',
      to_state: 'queued',
      reason: `r${i}`,
      actor: 'test',
    }));
    await insertInChunks(db, 'order_events', rows);
    expect(Number((await db('order_events').where({ actor: 'test' }).count({ n: '*' }))[0]!.n)).toBe(450);
  });
});
