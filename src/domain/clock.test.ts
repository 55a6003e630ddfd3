import { describe, expect, it } from 'vitest';
import { fixedClock, systemClock, toUtcIso } from './clock.ts';

describe('clocks', () => {
  it('when a fixed clock is set or advanced, then it says that time, and what it returned before does not move with it', () => {
    const clock = fixedClock('2026-12-01T10:00:00.000Z');
    const first = clock.now();
    expect(first.toISOString()).toBe('2026-12-01T10:00:00.000Z');
    first.setTime(0);
    expect(clock.now().toISOString()).toBe('2026-12-01T10:00:00.000Z');
    clock.advance(1500);
    expect(clock.now().toISOString()).toBe('2026-12-01T10:00:01.500Z');
    clock.set(new Date('2027-01-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
    clock.set('2027-01-02T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2027-01-02T00:00:00.000Z');
  });

  it('when a fixed clock starts from a Date, then changing that Date later does not move the clock', () => {
    const start = new Date('2026-12-01T10:00:00.000Z');
    const clock = fixedClock(start);
    start.setTime(0);
    expect(clock.now().toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });

  it('the system clock says now', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('times are stored as UTC ISO-8601 with milliseconds', () => {
    expect(toUtcIso(new Date('2026-07-01T11:12:13+01:00'))).toBe('2026-07-01T10:12:13.000Z');
  });
});
