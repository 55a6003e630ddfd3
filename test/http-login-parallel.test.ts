import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { fixedClock } from '../src/domain/clock.ts';
import { Client, createTestUser, startTestApp, TEST_PASSWORD, type TestApp } from './helpers/http.ts';
import { describeEachDialect } from './helpers/test-db.ts';

// Counts every password hash the server checks, whatever route asked for it.
const verifications = vi.hoisted(() => ({ count: 0 }));
vi.mock('../src/auth/password.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/auth/password.ts')>();
  return {
    ...original,
    verifyPassword: async (password: string, encoded: string) => {
      verifications.count += 1;
      return original.verifyPassword(password, encoded);
    },
  };
});

const LIMIT = 5;

describeEachDialect('login limits under parallel guessing', (ctx) => {
  const clock = fixedClock('2026-11-23T09:00:00.000Z');
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(ctx().db, ctx().url, {
      clock,
      auth: { loginLimits: { perUserAndIp: LIMIT, perIp: 30, windowMs: 15 * 60_000 } },
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    clock.advance(60 * 60_000); // a fresh window for each test
    verifications.count = 0;
  });

  it('when 50 wrong sign-ins for one user arrive at once, then at most the limit are checked and the rest get 429', async () => {
    const name = await createTestUser(ctx().db, 'owner');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => new Client(server.url).post('/api/login', { username: name, password: `guess ${i}` })),
    );
    expect(verifications.count).toBeLessThanOrEqual(LIMIT);
    expect(answers.filter((a) => a.status === 401)).toHaveLength(verifications.count);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(50 - verifications.count);
    // The right password now waits too: the guesses used the allowance.
    expect((await new Client(server.url).login(name)).status).toBe(429);
  });

  it('when 50 wrong current passwords are sent at once to change a password, then at most the limit are checked', async () => {
    const name = await createTestUser(ctx().db, 'support');
    const c = new Client(server.url);
    await c.login(name);
    verifications.count = 0;
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        c.post('/api/me/password', { currentPassword: `guess ${i}`, newPassword: 'a brand new passphrase' }),
      ),
    );
    expect(verifications.count).toBeLessThanOrEqual(LIMIT);
    expect(answers.filter((a) => a.status === 403)).toHaveLength(verifications.count);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(50 - verifications.count);
  });

  it('when sign-ins succeed, then they do not use up the address allowance', async () => {
    const name = await createTestUser(ctx().db, 'support');
    for (let i = 0; i < 40; i++) expect((await new Client(server.url).login(name)).status).toBe(200);
    expect((await new Client(server.url).login(name, 'wrong password')).status).toBe(401);
    expect(await new Client(server.url).login(name, TEST_PASSWORD).then((a) => a.status)).toBe(200);
  });
});
