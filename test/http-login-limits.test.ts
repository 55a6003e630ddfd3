import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../src/domain/clock.ts';
import { Client, createTestUser, startTestApp, TEST_PASSWORD, type TestApp } from './helpers/http.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('login limits per client address, at the route', (ctx) => {
  const clock = fixedClock('2026-11-23T09:00:00.000Z');
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(ctx().db, ctx().url, {
      clock,
      auth: { loginLimits: { perUserAndIp: 3, perIp: 5, windowMs: 15 * 60_000 } },
    });
  });
  afterAll(() => server.close());
  const attempt = (username: string, password: string) => new Client(server.url).post('/api/login', { username, password });

  it("when another user signs in successfully from the same address, then the address's failed attempts still count, and the address is stopped at its limit", async () => {
    const sprayed = ['ann', 'bob', 'cat', 'dan', 'eve'];
    for (const name of sprayed.slice(0, 4)) expect((await attempt(name, 'wrong')).status).toBe(401);
    // A real user signs in from the same address: that clears their own count, not the address's.
    const real = await createTestUser(ctx().db, 'support');
    expect((await attempt(real, TEST_PASSWORD)).status).toBe(200);
    expect((await attempt(sprayed[4]!, 'wrong')).status).toBe(401);
    const blocked = await attempt('fay', 'wrong');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    // Even the real user's correct password waits now: the address is what is limited.
    expect((await attempt(real, TEST_PASSWORD)).status).toBe(429);
    clock.advance(15 * 60_000 + 1_000);
    expect((await attempt(real, TEST_PASSWORD)).status).toBe(200);
  });
});
