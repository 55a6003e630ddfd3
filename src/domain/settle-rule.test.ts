import { describe, expect, it } from 'vitest';
import { settleCutoff, settlePlan, waitingReason, whyNotDue } from './settle-rule.ts';

const settings = { importStatuses: ['processing', 'completed'], settleMinutes: 60 };
const now = new Date('2026-01-01T12:00:00Z');

describe('settle rule', () => {
  it.each([
    ['processing', '2026-01-01T11:30:00.000Z', '2026-01-01T12:30:00.000Z', 'status "processing", settling until 2026-01-01T12:30:00.000Z'],
    [
      'completed',
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T11:00:00.000Z',
      'status "completed", settled (unchanged since 2026-01-01T10:00:00.000Z)',
    ],
    ['pending', '2026-01-01T10:00:00.000Z', null, 'status "pending" is not exported (import statuses: processing, completed)'],
  ])('when an order is %s and modified %s, then it settles at %s', (status, modified, settleAt, reason) => {
    expect(settlePlan(status, modified, settings, now)).toEqual({ settleAt, reason });
  });

  it('when settleMinutes is 60, then orders modified an hour ago or earlier are settled', () => {
    expect(settleCutoff(settings, now)).toBe('2026-01-01T11:00:00.000Z');
    expect(settleCutoff({ ...settings, settleMinutes: 0 }, now)).toBe('2026-01-01T12:00:00.000Z');
  });

  const order = { status: 'processing', dateModified: '2026-01-01T10:00:00.000Z', customerId: 7, customerPending: false };

  it.each([
    [{ status: 'on-hold' }, 'status "on-hold" is not exported (import statuses: processing, completed)'],
    [{ dateModified: '2026-01-01T11:30:00.000Z' }, 'settling until 2026-01-01T12:30:00.000Z'],
    [{ customerPending: true }, 'the profile of customer 7 is fetched by the next sync first'],
    // The first reason that stops it is named: a status that is never exported outranks the rest.
    [
      { status: 'pending', dateModified: '2026-01-01T11:59:00.000Z', customerPending: true },
      'status "pending" is not exported (import statuses: processing, completed)',
    ],
    [{}, null],
  ])('when a waiting order has %j, then why it is not due is %j', (change, reason) => {
    expect(whyNotDue({ ...order, ...change }, settings, now)).toBe(reason);
  });

  it('when an order is due, then support reads that the next sync takes it; an order not waiting has no waiting reason', () => {
    expect(waitingReason({ ...order, state: 'waiting' }, settings, now)).toBe('due: the next sync processes it');
    expect(waitingReason({ ...order, state: 'received', customerPending: true }, settings, now)).toBe(
      'the profile of customer 7 is fetched by the next sync first',
    );
    for (const state of ['held', 'queued', 'delivered', 'failed'])
      expect(waitingReason({ ...order, state, status: 'on-hold' }, settings, now)).toBeNull();
  });

  it('when an order changed exactly settleMinutes ago, then it is settled and due; one millisecond later it still settles', () => {
    const exactly = '2026-01-01T11:00:00.000Z';
    const justAfter = '2026-01-01T11:00:00.001Z';
    expect(settlePlan('processing', exactly, settings, now)).toEqual({
      settleAt: '2026-01-01T12:00:00.000Z',
      reason: `status "processing", settled (unchanged since ${exactly})`,
    });
    expect(whyNotDue({ ...order, dateModified: exactly }, settings, now)).toBeNull();
    expect(settlePlan('processing', justAfter, settings, now).reason).toBe('status "processing", settling until 2026-01-01T12:00:00.001Z');
    expect(whyNotDue({ ...order, dateModified: justAfter }, settings, now)).toBe('settling until 2026-01-01T12:00:00.001Z');
  });
});
