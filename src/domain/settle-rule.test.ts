import { describe, expect, it } from 'vitest';
import { settleCutoff, settlePlan } from './settle-rule.ts';

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
});
