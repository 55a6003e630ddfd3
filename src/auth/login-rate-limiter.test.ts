import { describe, expect, it } from 'vitest';
import { fixedClock } from '../domain/clock.ts';
import { LoginRateLimiter } from './login-rate-limiter.ts';

const limits = { perUserAndIp: 3, perIp: 5, windowMs: 60_000 };

describe('login rate limiter', () => {
  it('when a username fails the limit from one address, then that pair waits until the oldest failure leaves the window', () => {
    const clock = fixedClock('2026-11-23T09:00:00.000Z');
    const limiter = new LoginRateLimiter(clock, limits);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds('Alice', '10.0.0.1')).toBe(0);
      limiter.recordFailure('Alice', '10.0.0.1');
      clock.advance(10_000);
    }
    expect(limiter.retryAfterSeconds('alice', '10.0.0.1')).toBe(30);
    expect(limiter.retryAfterSeconds('alice', '10.0.0.2')).toBe(0);
    expect(limiter.retryAfterSeconds('bob', '10.0.0.1')).toBe(0);
    clock.advance(30_000);
    expect(limiter.retryAfterSeconds('alice', '10.0.0.1')).toBe(0);
  });

  it('when one address tries many usernames, then the address is limited', () => {
    const limiter = new LoginRateLimiter(fixedClock('2026-11-23T09:00:00.000Z'), limits);
    for (let i = 0; i < 5; i++) limiter.recordFailure(`user${i}`, '10.0.0.9');
    expect(limiter.retryAfterSeconds('someone-new', '10.0.0.9')).toBeGreaterThan(0);
    expect(limiter.retryAfterSeconds('someone-new', '10.0.0.8')).toBe(0);
  });

  it('when a sign-in succeeds, then that username’s count from that address starts again', () => {
    const limiter = new LoginRateLimiter(fixedClock('2026-11-23T09:00:00.000Z'), limits);
    limiter.recordFailure('carol', '10.0.0.1');
    limiter.recordFailure('carol', '10.0.0.1');
    limiter.recordSuccess('carol', '10.0.0.1');
    limiter.recordFailure('carol', '10.0.0.1');
    limiter.recordFailure('carol', '10.0.0.1');
    expect(limiter.retryAfterSeconds('carol', '10.0.0.1')).toBe(0);
  });
});

describe('login attempt reservations', () => {
  it('when attempts are reserved before any is checked, then only the limit are granted', () => {
    const limiter = new LoginRateLimiter(fixedClock('2026-11-23T09:00:00.000Z'), limits);
    const granted = Array.from({ length: 10 }, () => limiter.reserve('dave', '10.0.0.1')).filter((wait) => wait === 0);
    expect(granted).toHaveLength(3);
  });

  it('when a reserved attempt succeeds, then the address gets it back and the username starts again', () => {
    const limiter = new LoginRateLimiter(fixedClock('2026-11-23T09:00:00.000Z'), limits);
    for (let i = 0; i < 4; i++) limiter.recordFailure(`user${i}`, '10.0.0.1');
    expect(limiter.reserve('erin', '10.0.0.1')).toBe(0);
    limiter.recordSuccess('erin', '10.0.0.1');
    expect(limiter.reserve('frank', '10.0.0.1')).toBe(0);
    expect(limiter.reserve('frank', '10.0.0.1')).toBeGreaterThan(0);
  });
});

describe('login rate limiter: limits, window and memory', () => {
  it('when no limits are given, then five failures per username and address lock it for fifteen minutes, and thirty per address', () => {
    const clock = fixedClock('2026-11-23T09:00:00.000Z');
    const limiter = new LoginRateLimiter(clock);
    for (let i = 0; i < 4; i++) limiter.recordFailure('gina', '10.0.0.1');
    expect(limiter.retryAfterSeconds('gina', '10.0.0.1')).toBe(0);
    limiter.recordFailure('gina', '10.0.0.1');
    expect(limiter.retryAfterSeconds('gina', '10.0.0.1')).toBe(900);
    for (let i = 0; i < 24; i++) limiter.recordFailure(`spray${i}`, '10.0.0.2');
    expect(limiter.retryAfterSeconds('new', '10.0.0.2')).toBe(0);
    limiter.recordFailure('spray-last', '10.0.0.2');
    expect(limiter.retryAfterSeconds('new', '10.0.0.2')).toBe(0);
    limiter.recordFailure('spray-more', '10.0.0.2');
    for (let i = 0; i < 4; i++) limiter.recordFailure(`spray-end${i}`, '10.0.0.2');
    expect(limiter.retryAfterSeconds('new', '10.0.0.2')).toBe(900);
  });

  it('when a username is typed padded or in another case, then it counts as the same; other spellings (ß and SS) do not', () => {
    const limiter = new LoginRateLimiter(fixedClock('2026-11-23T09:00:00.000Z'), limits);
    for (let i = 0; i < 3; i++) limiter.recordFailure(' Straße ', '10.0.0.1');
    expect(limiter.retryAfterSeconds('straße', '10.0.0.1')).toBe(60);
    expect(limiter.retryAfterSeconds('STRASSE', '10.0.0.1')).toBe(0);
  });

  it('when failures leave the window, then they no longer count towards the next ones', () => {
    const clock = fixedClock('2026-11-23T09:00:00.000Z');
    const limiter = new LoginRateLimiter(clock, limits);
    for (let i = 0; i < 3; i++) limiter.recordFailure('hal', '10.0.0.1');
    clock.advance(60_000);
    limiter.recordFailure('hal', '10.0.0.1');
    limiter.recordFailure('hal', '10.0.0.1');
    expect(limiter.retryAfterSeconds('hal', '10.0.0.1')).toBe(0);
  });

  it('when a reservation is refused, then it takes nothing: the wait does not grow by asking again', () => {
    const clock = fixedClock('2026-11-23T09:00:00.000Z');
    const limiter = new LoginRateLimiter(clock, limits);
    for (let i = 0; i < 3; i++) expect(limiter.reserve('ivy', '10.0.0.1')).toBe(0);
    clock.advance(30_000);
    for (let i = 0; i < 3; i++) expect(limiter.reserve('ivy', '10.0.0.1')).toBe(30);
    clock.advance(30_000);
    expect(limiter.reserve('ivy', '10.0.0.1')).toBe(0);
  });

  it('when a sign-in succeeds with no failure recorded, then nothing changes and nothing fails', () => {
    const limiter = new LoginRateLimiter(fixedClock('2026-11-23T09:00:00.000Z'), limits);
    expect(() => limiter.recordSuccess('jo', '10.0.0.1')).not.toThrow();
    expect(limiter.retryAfterSeconds('jo', '10.0.0.1')).toBe(0);
  });

  it('when more than 10,000 keys are held, then the least recently failed go first, and only as many as needed', () => {
    const limiter = new LoginRateLimiter(fixedClock('2026-11-23T09:00:00.000Z'), limits);
    for (let i = 0; i < 3; i++) limiter.recordFailure('oldest', '10.1.0.0');
    for (let i = 0; i < 3; i++) limiter.recordFailure('second', '10.1.0.1');
    // Each failure from a new username and address adds two keys: 4 + 2 × 4,999 = 10,002.
    for (let i = 0; i < 4999; i++) limiter.recordFailure(`user${i}`, `10.2.${i >> 8}.${i & 255}`);
    expect(limiter.retryAfterSeconds('oldest', '10.1.0.0')).toBe(0);
    expect(limiter.retryAfterSeconds('second', '10.1.0.1')).toBe(60);
  });
});
