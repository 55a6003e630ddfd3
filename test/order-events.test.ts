import { expect, it } from 'vitest';
import { listOrderEvents, transitionOrder } from '../src/db/order-events.ts';
import { describeEachDialect } from './helpers/test-db.ts';
import { insertOrderRow } from './helpers/factories.ts';

describeEachDialect('order transitions', (ctx) => {
  it('when an order moves through states, then each move is recorded with its reason and time', async () => {
    const { db } = ctx();
    const id = await insertOrderRow(db);
    await transitionOrder(db, {
      orderId: id,
      to: 'held',
      reason: 'no account',
      actor: 'sync',
      at: new Date('2026-01-01T10:00:00Z'),
      patch: { last_error: 'no account' },
    });
    await transitionOrder(db, {
      orderId: id,
      to: 'allocated',
      reason: 'rule DEFAULT',
      actor: 'sync',
      at: new Date('2026-01-01T11:00:00Z'),
      patch: { last_error: null },
    });
    const row = await db('orders').where({ id }).first();
    expect(row).toMatchObject({ state: 'allocated', state_changed_at: '2026-01-01T11:00:00.000Z', last_error: null });
    expect(await listOrderEvents(db, id)).toEqual([
      { at: '2026-01-01T10:00:00.000Z', from: 'received', to: 'held', reason: 'no account', actor: 'sync' },
      { at: '2026-01-01T11:00:00.000Z', from: 'held', to: 'allocated', reason: 'rule DEFAULT', actor: 'sync' },
    ]);
  });

  it('when a held order is held again for the same reason, then no new event is written', async () => {
    const { db } = ctx();
    const id = await insertOrderRow(db);
    const hold = { orderId: id, to: 'held' as const, reason: 'x', actor: 'sync', patch: { last_error: 'x' } };
    await transitionOrder(db, { ...hold, at: new Date('2026-01-01T10:00:00Z') });
    await transitionOrder(db, { ...hold, at: new Date('2026-01-01T10:05:00Z') });
    await transitionOrder(db, { ...hold, reason: 'y', patch: { last_error: 'y' }, at: new Date('2026-01-01T10:10:00Z') });
    expect((await listOrderEvents(db, id)).map((e) => e.reason)).toEqual(['x', 'y']);
  });
});
