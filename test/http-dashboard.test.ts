import { afterAll, beforeAll, expect, it } from 'vitest';
import { lastDays } from '../src/db/dashboard-queries.ts';
import { LAST_POLL_STATE, readLastPoll, writeLastPoll } from '../src/db/poll-status.ts';
import { fixedClock } from '../src/domain/clock.ts';
import { Client, createTestUser, startTestApp, type TestApp } from './helpers/http.ts';
import { insertExportJob, insertOrderEvent, insertOrderRow } from './helpers/factories.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('admin API dashboard', (ctx) => {
  const clock = fixedClock('2026-11-23T15:00:00.000Z');
  let server: TestApp;
  let support: Client;
  beforeAll(async () => {
    server = await startTestApp(ctx().db, ctx().url, { clock });
    support = new Client(server.url);
    await support.login(await createTestUser(ctx().db, 'support'));
  });
  afterAll(() => server.close());

  it('when nothing has happened yet, then every count is zero, all 14 days are there and no poll is recorded', async () => {
    const res = await support.get('/api/dashboard');
    expect(res.status).toBe(200);
    expect(res.body.now).toBe('2026-11-23T15:00:00.000Z');
    expect(Object.values(res.body.ordersByState).every((n) => n === 0)).toBe(true);
    expect(res.body.stateChangesPerDay.map((d: { day: string }) => d.day)).toEqual(lastDays(clock.now(), 14));
    expect(res.body.stateChangesPerDay[0].day).toBe('2026-11-10');
    expect(res.body.stateChangesPerDay[13].day).toBe('2026-11-23');
    expect(res.body.queue).toEqual({
      byState: { queued: 0, claimed: 0, delivered: 0, imported: 0, failed: 0, cancelled: 0, held: 0 },
      waiting: 0,
      oldestWaitingSince: null,
    });
    expect(res.body.attention).toEqual({ held: 0, failed: 0, changedAfterExport: 0, total: 0 });
    expect(res.body.lastPoll).toBeNull();
  });

  it('when orders, history, jobs and a poll exist, then the dashboard counts them', async () => {
    const { db } = ctx();
    await insertOrderRow(db, { id: 1, state: 'queued' });
    await insertOrderRow(db, { id: 2, state: 'held' });
    await insertOrderRow(db, { id: 3, state: 'held' });
    await insertOrderRow(db, { id: 4, state: 'failed', changed_after_export: true });
    await insertOrderRow(db, { id: 5, state: 'delivered', changed_after_export: true });
    // Order 1 went received → queued on the 22nd, came back to held and was queued again the same day: counted once.
    await insertOrderEvent(db, { orderId: 1, to: 'received', at: '2026-11-22T08:00:00.000Z' });
    await insertOrderEvent(db, { orderId: 1, to: 'queued', from: 'received', at: '2026-11-22T09:00:00.000Z' });
    await insertOrderEvent(db, { orderId: 1, to: 'held', from: 'queued', at: '2026-11-22T10:00:00.000Z' });
    await insertOrderEvent(db, { orderId: 1, to: 'queued', from: 'held', at: '2026-11-22T23:59:59.999Z' });
    await insertOrderEvent(db, { orderId: 2, to: 'held', at: '2026-11-23T00:00:00.000Z' });
    await insertOrderEvent(db, { orderId: 3, to: 'held', at: '2026-11-10T00:00:00.000Z' });
    await insertOrderEvent(db, { orderId: 4, to: 'held', at: '2026-11-09T23:59:59.999Z' }); // before the window
    await insertExportJob(db, { order_id: 1, state: 'queued', created_at: '2026-11-22T09:00:00.000Z' });
    await insertExportJob(db, { order_id: 1, state: 'claimed', created_at: '2026-11-21T09:00:00.000Z' });
    await insertExportJob(db, { order_id: 5, state: 'delivered', created_at: '2026-11-01T09:00:00.000Z' });
    await insertExportJob(db, { order_id: 4, state: 'failed', created_at: '2026-11-02T09:00:00.000Z' });
    await writeLastPoll(db, { at: new Date('2026-11-23T14:55:00.000Z'), durationMs: 1234.4, orders: 17 });

    const res = await support.get('/api/dashboard');
    expect(res.body.ordersByState).toMatchObject({ queued: 1, held: 2, failed: 1, delivered: 1, received: 0 });
    const day = (d: string) => res.body.stateChangesPerDay.find((x: { day: string }) => x.day === d).entered;
    expect(day('2026-11-22')).toMatchObject({ received: 1, queued: 1, held: 1 });
    expect(day('2026-11-23')).toMatchObject({ held: 1, queued: 0 });
    expect(day('2026-11-10')).toMatchObject({ held: 1 });
    expect(res.body.stateChangesPerDay.reduce((n: number, d: { entered: { held: number } }) => n + d.entered.held, 0)).toBe(3);
    expect(res.body.queue).toEqual({
      byState: { queued: 1, claimed: 1, delivered: 1, imported: 0, failed: 1, cancelled: 0, held: 0 },
      waiting: 2,
      oldestWaitingSince: '2026-11-21T09:00:00.000Z',
    });
    expect(res.body.attention).toEqual({ held: 2, failed: 1, changedAfterExport: 2, total: 4 });
    expect(res.body.lastPoll).toEqual({ at: '2026-11-23T14:55:00.000Z', durationMs: 1234, orders: 17 });
  });

  it('when the poll is recorded again, then the row is replaced; when it is unreadable, then it reads as none', async () => {
    const { db } = ctx();
    await writeLastPoll(db, { at: new Date('2026-11-23T15:00:00.000Z'), durationMs: 10, orders: 0 });
    expect(await readLastPoll(db)).toEqual({ at: '2026-11-23T15:00:00.000Z', durationMs: 10, orders: 0 });
    expect(await db('sync_state').where({ name: LAST_POLL_STATE }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
    await db('sync_state')
      .where({ name: LAST_POLL_STATE })
      .update({ value: '{"at":"2026-11-23T15:00:00.000Z","durationMs":12.7,"orders":3}' });
    expect(await readLastPoll(db)).toEqual({ at: '2026-11-23T15:00:00.000Z', durationMs: 13, orders: 3 });
    await db('sync_state').where({ name: LAST_POLL_STATE }).update({ value: '{"at": 5}' });
    expect((await support.get('/api/dashboard')).body.lastPoll).toBeNull();
    await db('sync_state').where({ name: LAST_POLL_STATE }).update({ value: 'not json' });
    expect((await support.get('/api/dashboard')).body.lastPoll).toBeNull();
  });

  it('when called without credentials, then it is refused', async () => {
    expect((await new Client(server.url).get('/api/dashboard')).status).toBe(401);
  });
});
