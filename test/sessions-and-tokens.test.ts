import { expect, it } from 'vitest';
import { hashSecret } from '../src/auth/secrets.ts';
import { resolveSession, startSession, type SessionPolicy } from '../src/auth/sessions.ts';
import { issueApiToken, resolveApiToken, revokeToken } from '../src/auth/tokens.ts';
import { requireUser, setUserDisabled } from '../src/auth/users.ts';
import { insertSession } from '../src/db/sessions.ts';
import { fixedClock } from '../src/domain/clock.ts';
import { createTestUser } from './helpers/http.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const T0 = '2026-11-23T09:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
/** One hour idle, two hours at most: small numbers keep the boundaries readable. */
const policy: SessionPolicy = { idleMs: 60 * 60_000, absoluteMs: 120 * 60_000 };
const client = { ip: null, userAgent: null };

describeEachDialect('sessions and API tokens, at their limits', (ctx) => {
  const sessionRow = async (id: number) => ctx().db('sessions').where({ id }).first('expires_at', 'last_seen_at');

  it('when a cookie is empty or longer than any secret issued, then it names no session, even one stored under its hash; 200 characters still do', async () => {
    const { db } = ctx();
    const user = await requireUser(db, await createTestUser(db, 'support'));
    for (const secret of ['', 'x'.repeat(201), 'y'.repeat(200)]) {
      await insertSession(db, { secretHash: hashSecret(secret), userId: user.id, at: T0, expiresAt: at(60), ...client });
    }
    const clock = fixedClock(at(1));
    expect(await resolveSession(db, '', clock, policy)).toBeUndefined();
    expect(await resolveSession(db, 'x'.repeat(201), clock, policy)).toBeUndefined();
    expect((await resolveSession(db, 'y'.repeat(200), clock, policy))?.user.id).toBe(user.id);
  });

  it('when a session starts under the default policy, then it lasts twelve idle hours and its cookie is a fresh 256-bit secret', async () => {
    const { db } = ctx();
    const user = await requireUser(db, await createTestUser(db, 'support'));
    const session = await startSession(db, user, client, fixedClock(T0));
    expect(session.expiresAt).toBe(at(12 * 60));
    expect(session.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('when a session reaches its expiry instant, then it is over and removed; a millisecond before, it still works', async () => {
    const { db } = ctx();
    const user = await requireUser(db, await createTestUser(db, 'support'));
    const live = await startSession(db, user, client, fixedClock(T0), policy);
    const session = await startSession(db, user, client, fixedClock(T0), policy);
    const justBefore = fixedClock(new Date(Date.parse(live.expiresAt) - 1));
    expect((await resolveSession(db, live.secret, justBefore, policy))?.id).toBe(live.id);
    expect(await resolveSession(db, session.secret, fixedClock(session.expiresAt), policy)).toBeUndefined();
    expect(await sessionRow(session.id)).toBeUndefined();
  });

  it('when its user is disabled, then a live session names nobody', async () => {
    const { db } = ctx();
    const name = await createTestUser(db, 'support');
    const session = await startSession(db, await requireUser(db, name), client, fixedClock(T0), policy);
    await setUserDisabled(db, name, true, 'test', fixedClock(at(1)));
    // Disabling ends the sessions; one stored again for the disabled user is refused all the same.
    const id = await insertSession(db, { secretHash: hashSecret(session.secret), userId: session.user.id, at: T0, expiresAt: at(60), ...client });
    expect(await resolveSession(db, session.secret, fixedClock(at(2)), policy)).toBeUndefined();
    expect(id).toBeGreaterThan(0);
  });

  it('when a session is used, then its expiry moves only once less than half the idle time is left, and never past the absolute limit', async () => {
    const { db } = ctx();
    const user = await requireUser(db, await createTestUser(db, 'support'));
    const session = await startSession(db, user, client, fixedClock(T0), policy);
    expect(session.expiresAt).toBe(at(60));
    const use = async (minute: number) => (await resolveSession(db, session.secret, fixedClock(at(minute)), policy))!.expiresAt;

    // 31 and exactly 30 minutes left: nothing is written.
    expect(await use(29)).toBe(at(60));
    expect(await use(30)).toBe(at(60));
    expect(await sessionRow(session.id)).toEqual({ expires_at: at(60), last_seen_at: T0 });
    // Less than half left: an idle period from now.
    expect(await use(31)).toBe(at(91));
    expect(await sessionRow(session.id)).toEqual({ expires_at: at(91), last_seen_at: at(31) });
    // Near the absolute limit (two hours after sign-in): no further.
    expect(await use(90)).toBe(at(120));
    expect(await use(100)).toBe(at(120));
    // At the limit already: nothing more is written.
    expect(await sessionRow(session.id)).toEqual({ expires_at: at(120), last_seen_at: at(90) });
    expect(await resolveSession(db, session.secret, fixedClock(at(120)), policy)).toBeUndefined();
  });

  it('when a token is used again and again, then its last use is written at most once a minute', async () => {
    const { db } = ctx();
    const name = await createTestUser(db, 'support');
    const { token, secret } = await issueApiToken(db, name, 'monitoring', 'test', fixedClock(T0));
    const lastUsed = async () => (await db('api_tokens').where({ id: token.id }).first('last_used_at')).last_used_at;
    const use = (ms: number) => resolveApiToken(db, secret, fixedClock(new Date(Date.parse(T0) + ms)));
    expect(await lastUsed()).toBeNull();
    await use(0);
    expect(await lastUsed()).toBe(T0);
    await use(59_999);
    expect(await lastUsed()).toBe(T0);
    await use(60_000);
    expect(await lastUsed()).toBe(at(1));
  });

  it('when a token is issued without a usable name or to a disabled user, or an unknown one revoked, then the error says what is wrong', async () => {
    const { db } = ctx();
    const name = await createTestUser(db, 'support');
    await expect(issueApiToken(db, name, '   ', 'test')).rejects.toThrow('name: expected 1-120 characters naming what uses the token');
    await expect(issueApiToken(db, name, 'n'.repeat(121), 'test')).rejects.toThrow('name: expected 1-120 characters');
    await setUserDisabled(db, name, true, 'test');
    await expect(issueApiToken(db, name, 'script', 'test')).rejects.toThrow(`user "${name}" is disabled; enable it before issuing a token`);
    await expect(revokeToken(db, 987654, 'test')).rejects.toMatchObject({ message: 'no API token with id 987654', details: { id: 987654 } });
  });
});
