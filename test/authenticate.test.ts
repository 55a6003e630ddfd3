import express from 'express';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { csrfTokenFor } from '../src/auth/secrets.ts';
import { startSession, type ActiveSession, type SessionPolicy } from '../src/auth/sessions.ts';
import { issueApiToken, revokeToken } from '../src/auth/tokens.ts';
import { requireUser, setUserDisabled } from '../src/auth/users.ts';
import { fixedClock } from '../src/domain/clock.ts';
import type { Role } from '../src/domain/roles.ts';
import { createAuthContext } from '../src/http/auth-context.ts';
import { authenticate, CSRF_HEADER } from '../src/http/authenticate.ts';
import { SESSION_COOKIE } from '../src/http/cookies.ts';
import { errorHandler } from '../src/http/errors.ts';
import { principalOf } from '../src/http/principal.ts';
import { createLogger } from '../src/log/logger.ts';
import { createTestUser, listen, TEST_SCRYPT } from './helpers/http.ts';
import { describeEachDialect } from './helpers/test-db.ts';

/**
 * `authenticate` alone, in front of one route that reports who it sees, with the app's error
 * handler: every request of the HTTP suites passes through it, so those suites are too slow to
 * measure it by mutation; this one pins it down in a few dozen requests.
 */
const T0 = '2026-11-23T09:00:00.000Z';
const policy: SessionPolicy = { idleMs: 60 * 60_000, absoluteMs: 120 * 60_000 };
const UNSAFE = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
const SIGN_IN = 'sign in (POST /api/login) or send "Authorization: Bearer <token>"';
const CSRF_MESSAGE = 'missing or wrong x-csrf-token header; reload the page and try again';
const REALM = 'Bearer realm="woo-sage"';

describeEachDialect('authenticate: who a request is, and what it must carry', (ctx) => {
  const clock = fixedClock(T0);
  let url = '';
  let close: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const app = express();
    app.use(authenticate(createAuthContext(ctx().db, clock, { session: policy, scrypt: TEST_SCRYPT })));
    app.use((_req, res) => {
      const p = principalOf(res);
      res.json({
        via: p.via,
        username: p.user.username,
        role: p.user.role,
        sessionId: p.sessionId,
        tokenId: p.tokenId,
        csrfToken: p.csrfToken,
      });
    });
    app.use(errorHandler(createLogger('silent')));
    const server = await listen(app);
    url = server.url;
    close = () => new Promise<void>((resolve) => server.server.close(() => resolve()));
  });
  afterAll(() => close());

  interface Sent {
    method?: string;
    cookie?: string;
    authorization?: string;
    csrf?: string;
  }
  const send = async (sent: Sent = {}) => {
    const headers: Record<string, string> = {};
    if (sent.cookie !== undefined) headers.cookie = sent.cookie;
    if (sent.authorization !== undefined) headers.authorization = sent.authorization;
    if (sent.csrf !== undefined) headers[CSRF_HEADER] = sent.csrf;
    const res = await fetch(`${url}/anything`, { method: sent.method ?? 'GET', headers });
    const text = await res.text();
    return { status: res.status, realm: res.headers.get('www-authenticate'), text, body: text ? JSON.parse(text) : undefined };
  };
  const cookieOf = (s: ActiveSession) => `${SESSION_COOKIE}=${encodeURIComponent(s.secret)}`;

  const user = async (role: Role) => {
    const name = await createTestUser(ctx().db, role);
    return { name, user: await requireUser(ctx().db, name) };
  };
  const session = async (role: Role = 'support') => {
    clock.set(T0);
    const { name, user: u } = await user(role);
    return { name, session: await startSession(ctx().db, u, { ip: null, userAgent: null }, clock, policy) };
  };
  const token = async (role: Role = 'support') => {
    clock.set(T0);
    const { name } = await user(role);
    return { name, ...(await issueApiToken(ctx().db, name, 'test client', 'test', clock)) };
  };

  const expectUnauthenticated = (answer: Awaited<ReturnType<typeof send>>, ...secrets: string[]) => {
    expect(answer.status).toBe(401);
    expect(answer.realm).toBe(REALM);
    expect(answer.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: SIGN_IN, details: {} } });
    for (const secret of secrets) expect(answer.text).not.toContain(secret);
  };
  const expectCsrfRefused = (answer: Awaited<ReturnType<typeof send>>, ...secrets: string[]) => {
    expect(answer.status).toBe(403);
    expect(answer.realm).toBeNull();
    expect(answer.body).toEqual({ error: { code: 'CSRF_FAILED', message: CSRF_MESSAGE, details: {} } });
    for (const secret of secrets) expect(answer.text).not.toContain(secret);
  };

  it('when a request carries no credentials, then every method is answered 401 with the bearer realm and how to sign in', async () => {
    for (const method of ['GET', 'OPTIONS', ...UNSAFE]) expectUnauthenticated(await send({ method }));
    const head = await send({ method: 'HEAD' });
    expect([head.status, head.realm]).toEqual([401, REALM]);
  });

  it('when a session cookie is live, then safe methods pass as that session without a CSRF token, with its user, role and token', async () => {
    for (const role of ['owner', 'support', 'importer'] as const) {
      const { name, session: s } = await session(role);
      const seen = { via: 'session', username: name, role, sessionId: s.id, csrfToken: csrfTokenFor(s.secret) };
      expect(await send({ cookie: cookieOf(s) })).toMatchObject({ status: 200, realm: null, body: seen });
      expect((await send({ method: 'OPTIONS', cookie: cookieOf(s) })).body).toEqual(seen);
      expect((await send({ method: 'HEAD', cookie: cookieOf(s) })).status).toBe(200);
    }
  });

  it('when a cookie request uses an unsafe method, then it needs its own session’s CSRF token: missing, wrong, another session’s or a prefix is 403 and never echoed', async () => {
    const { name, session: s } = await session();
    const { session: other } = await session();
    const mine = csrfTokenFor(s.secret);
    for (const method of UNSAFE) {
      expectCsrfRefused(await send({ method, cookie: cookieOf(s) }), s.secret);
      expectCsrfRefused(await send({ method, cookie: cookieOf(s), csrf: 'x' }), s.secret, mine);
      expectCsrfRefused(await send({ method, cookie: cookieOf(s), csrf: csrfTokenFor(other.secret) }), s.secret, mine);
      expectCsrfRefused(await send({ method, cookie: cookieOf(s), csrf: mine.slice(0, -1) }), s.secret, mine);
      expectCsrfRefused(await send({ method, cookie: cookieOf(s), csrf: s.secret }), s.secret, mine);
      const passed = await send({ method, cookie: cookieOf(s), csrf: mine });
      expect(passed).toMatchObject({ status: 200, body: { via: 'session', username: name, sessionId: s.id } });
    }
  });

  it('when a bearer token is sent, then every method passes as the token’s user without a CSRF token, even beside a cookie', async () => {
    for (const role of ['owner', 'support', 'importer'] as const) {
      const { name, token: t, secret } = await token(role);
      const seen = { via: 'token', username: name, role, tokenId: t.id };
      for (const method of ['GET', 'OPTIONS', ...UNSAFE]) {
        expect(await send({ method, authorization: `Bearer ${secret}` })).toMatchObject({ status: 200, realm: null, body: seen });
      }
      const { session: s } = await session();
      // The token decides, not the cookie: no CSRF token asked for, and the token's user acts.
      expect((await send({ method: 'POST', authorization: `Bearer ${secret}`, cookie: cookieOf(s) })).body).toEqual(seen);
    }
  });

  it('when the Authorization header is spelled loosely, then the scheme in any case and any white space before the token still work', async () => {
    const { token: t, secret } = await token();
    for (const authorization of [`bearer ${secret}`, `BEARER ${secret}`, `Bearer   ${secret}`, `Bearer\t${secret}`]) {
      expect((await send({ authorization })).body).toMatchObject({ via: 'token', tokenId: t.id });
    }
  });

  it('when the Authorization header is malformed, then it is 401 even beside a live session, and the token is not echoed', async () => {
    const { secret } = await token();
    const { session: s } = await session();
    for (const authorization of [
      'Bearer',
      'Bearer ',
      `Bearer${secret}`,
      `Bearer ${secret} extra`,
      `Bearer ${secret} ${secret}`,
      `xBearer ${secret}`,
      `Token ${secret}`,
      'Basic YWRtaW46YWRtaW4=',
      secret,
      '',
    ]) {
      expectUnauthenticated(await send({ authorization, cookie: cookieOf(s) }), secret, s.secret);
      expectUnauthenticated(await send({ method: 'POST', authorization, cookie: cookieOf(s), csrf: csrfTokenFor(s.secret) }), secret);
    }
  });

  it('when a bearer token is unknown, revoked, not a token or its user disabled, then it is 401 and not echoed', async () => {
    const revoked = await token();
    await revokeToken(ctx().db, revoked.token.id, 'test', clock);
    const disabled = await token();
    await setUserDisabled(ctx().db, disabled.name, true, 'test', clock);
    const unknown = 'wsg_' + 'A'.repeat(43);
    for (const secret of [revoked.secret, disabled.secret, unknown, 'not-a-token', 'x']) {
      expectUnauthenticated(await send({ authorization: `Bearer ${secret}` }), secret);
      expectUnauthenticated(await send({ method: 'DELETE', authorization: `Bearer ${secret}` }), secret);
    }
  });

  it('when a session is expired, ended by disabling its user, or the cookie is unknown, empty or garbled, then it is 401 and the cookie is not echoed', async () => {
    const expired = await session();
    clock.set(expired.session.expiresAt);
    expectUnauthenticated(await send({ cookie: cookieOf(expired.session) }), expired.session.secret);
    const disabled = await session();
    await setUserDisabled(ctx().db, disabled.name, true, 'test', clock);
    expectUnauthenticated(await send({ cookie: cookieOf(disabled.session) }), disabled.session.secret);
    for (const cookie of [`${SESSION_COOKIE}=unknown-secret-value`, `${SESSION_COOKIE}=`, `${SESSION_COOKIE}=%E0%A4%A`, 'other=1']) {
      expectUnauthenticated(await send({ cookie }), 'unknown-secret-value');
      expectUnauthenticated(await send({ method: 'PUT', cookie, csrf: 'anything' }));
    }
  });

  it('when a session is a millisecond from its expiry, then it still passes', async () => {
    const { session: s } = await session();
    clock.set(new Date(Date.parse(s.expiresAt) - 1));
    expect((await send({ cookie: cookieOf(s) })).body).toMatchObject({ via: 'session', sessionId: s.id });
  });
});
