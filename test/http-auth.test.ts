import { afterAll, beforeAll, expect, it } from 'vitest';
import { issueApiToken, revokeToken } from '../src/auth/tokens.ts';
import { setUserDisabled, setUserPassword } from '../src/auth/users.ts';
import { fixedClock } from '../src/domain/clock.ts';
import { Client, createTestUser, startTestApp, TEST_PASSWORD, TEST_SCRYPT, type TestApp } from './helpers/http.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('admin API authentication', (ctx) => {
  const clock = fixedClock('2026-11-23T09:00:00.000Z');
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(ctx().db, ctx().url, {
      clock,
      auth: {
        loginLimits: { perUserAndIp: 3, perIp: 100, windowMs: 15 * 60_000 },
        session: { idleMs: 3_600_000, absoluteMs: 8 * 3_600_000 },
      },
    });
  });
  afterAll(() => server.close());
  const client = () => new Client(server.url);

  it('when a user signs in, then the session cookie is HttpOnly, SameSite=Strict, and /api/me names them', async () => {
    const name = await createTestUser(ctx().db, 'owner');
    const c = client();
    const res = await c.request('POST', '/api/login', { body: { username: name.toUpperCase(), password: TEST_PASSWORD } });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/); // plain http here; Secure is set over https
    expect(res.body.user).toMatchObject({ username: name, role: 'owner' });
    expect(res.body.csrfToken).toEqual(expect.any(String));
    const me = await c.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { username: name }, via: 'session', csrfToken: res.body.csrfToken });
    const row = await ctx().db('sessions').orderBy('id', 'desc').first();
    expect(row.secret_hash).not.toBe(c.sessionCookie);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when the request comes through a trusted https proxy, then the cookie is Secure', async () => {
    const name = await createTestUser(ctx().db, 'support');
    const proxied = await startTestApp(ctx().db, ctx().url, { clock, env: { TRUST_PROXY: 'loopback' } });
    try {
      const res = await new Client(proxied.url).request('POST', '/api/login', {
        body: { username: name, password: TEST_PASSWORD },
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(res.headers.getSetCookie()[0]).toMatch(/; Secure/);
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
    } finally {
      await proxied.close();
    }
  });

  it('when a client signs in with a cookie it already had, then it gets a new one and the old one stops working', async () => {
    const name = await createTestUser(ctx().db, 'support');
    const c = client();
    await c.login(name);
    const first = c.sessionCookie!;
    await c.login(name);
    expect(c.sessionCookie).toBeDefined();
    expect(c.sessionCookie).not.toBe(first);
    const stale = client();
    stale.sessionCookie = first;
    expect((await stale.get('/api/me')).status).toBe(401);
    expect((await c.get('/api/me')).status).toBe(200);
  });

  it('when an attacker plants a cookie value before the victim signs in, then the session never takes that value', async () => {
    const name = await createTestUser(ctx().db, 'owner');
    const planted = 'attacker-chosen-session-id';
    const c = client();
    c.sessionCookie = planted;
    await c.login(name);
    expect(c.sessionCookie).not.toBe(planted);
    const attacker = client();
    attacker.sessionCookie = planted;
    expect((await attacker.get('/api/me')).status).toBe(401);
  });

  it('when a cookie request changes state without the CSRF token, then it is refused with 403 and nothing changes', async () => {
    const name = await createTestUser(ctx().db, 'owner');
    const c = client();
    await c.login(name);
    const token = c.csrfToken;
    c.csrfToken = undefined;
    const refused = await c.put('/api/settings', { settleMinutes: 7 });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('CSRF_FAILED');
    c.csrfToken = 'wrong';
    expect((await c.put('/api/settings', { settleMinutes: 7 })).status).toBe(403);
    expect((await c.get('/api/settings')).body.settings.settleMinutes).not.toBe(7);
    c.csrfToken = token;
    const ok = await c.put('/api/settings', { settleMinutes: 7 });
    expect(ok.status).toBe(200);
    expect(ok.body.settings.settleMinutes).toBe(7);
  });

  it('when another session’s CSRF token is sent, then it is refused', async () => {
    const name = await createTestUser(ctx().db, 'owner');
    const a = client();
    const b = client();
    await a.login(name);
    await b.login(name);
    a.csrfToken = b.csrfToken;
    expect((await a.post('/api/logout')).status).toBe(403);
  });

  it('when a user signs out, then the cookie is cleared and the session is gone', async () => {
    const name = await createTestUser(ctx().db, 'support');
    const c = client();
    await c.login(name);
    const secret = c.sessionCookie!;
    const res = await c.post('/api/logout');
    expect(res.status).toBe(204);
    expect(c.sessionCookie).toBeUndefined();
    const replay = client();
    replay.sessionCookie = secret;
    expect((await replay.get('/api/me')).status).toBe(401);
  });

  it('when a sign-in is posted as a cross-site form would send it, then it is refused without a session', async () => {
    const name = await createTestUser(ctx().db, 'owner');
    const res = await client().request('POST', '/api/login', {
      rawBody: `username=${name}&password=${encodeURIComponent(TEST_PASSWORD)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('when the password is wrong, the user unknown or disabled, then the answer is the same generic 401', async () => {
    const name = await createTestUser(ctx().db, 'support');
    const disabled = await createTestUser(ctx().db, 'support');
    await setUserDisabled(ctx().db, disabled, true, 'test');
    const answers = await Promise.all([
      client().post('/api/login', { username: name, password: 'not the password' }),
      client().post('/api/login', { username: 'nobody-here', password: TEST_PASSWORD }),
      client().post('/api/login', { username: disabled, password: TEST_PASSWORD }),
    ]);
    for (const a of answers) {
      expect(a.status).toBe(401);
      expect(a.body).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: 'invalid username or password', details: {} } });
      expect(a.headers.getSetCookie()).toEqual([]);
    }
  });

  it('when sign-ins for one username keep failing, then further attempts get 429 until the window passes', async () => {
    const name = await createTestUser(ctx().db, 'owner');
    for (let i = 0; i < 3; i++) expect((await client().post('/api/login', { username: name, password: 'guess' + i })).status).toBe(401);
    const blocked = await client().post('/api/login', { username: name, password: TEST_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another username from the same address is not affected.
    const other = await createTestUser(ctx().db, 'support');
    expect((await client().login(other)).status).toBe(200);
    clock.advance(15 * 60_000 + 1000);
    expect((await client().login(name)).status).toBe(200);
  });

  it('when a session is idle past its limit, then it is refused; a busy one slides but ends at the absolute limit', async () => {
    const name = await createTestUser(ctx().db, 'support');
    const idle = client();
    await idle.login(name);
    clock.advance(3_600_000 + 1);
    expect((await idle.get('/api/me')).status).toBe(401);

    const busy = client();
    await busy.login(name);
    for (let step = 1; step <= 10; step++) {
      clock.advance(45 * 60_000);
      expect((await busy.get('/api/me')).status, `after ${step * 45} minutes`).toBe(200);
    }
    // 8h15m after sign-in, used 45 minutes ago: within the idle limit, past the absolute one.
    clock.advance(45 * 60_000);
    expect((await busy.get('/api/me')).status).toBe(401);
  });

  it('when a user is disabled, then their sessions and tokens stop working at once', async () => {
    const name = await createTestUser(ctx().db, 'support');
    const c = client();
    await c.login(name);
    const { secret } = await issueApiToken(ctx().db, name, 'script', 'test', clock);
    const api = client();
    api.bearer = secret;
    expect((await api.get('/api/me')).status).toBe(200);
    await setUserDisabled(ctx().db, name, true, 'test', clock);
    expect((await c.get('/api/me')).status).toBe(401);
    expect((await api.get('/api/me')).status).toBe(401);
  });

  it('when an API client sends a bearer token, then it acts as its user without CSRF; revoked tokens are refused', async () => {
    const name = await createTestUser(ctx().db, 'owner');
    const { token, secret } = await issueApiToken(ctx().db, name, 'monitoring', 'test', clock);
    expect(secret).toMatch(/^wsg_/);
    const api = client();
    api.bearer = secret;
    const me = await api.get('/api/me');
    expect(me.body).toEqual({ user: expect.objectContaining({ username: name }), via: 'token' });
    expect((await api.put('/api/settings', { settleMinutes: 11 })).status).toBe(200);
    const stored = await ctx().db('api_tokens').where({ id: token.id }).first();
    expect(stored.secret_hash).not.toContain(secret);
    expect(stored.last_used_at).not.toBeNull();
    await revokeToken(ctx().db, token.id, 'test', clock);
    expect((await api.get('/api/me')).status).toBe(401);
  });

  it('when the Authorization header is malformed or the token unknown, then a valid cookie does not rescue it', async () => {
    const name = await createTestUser(ctx().db, 'owner');
    const c = client();
    await c.login(name);
    expect((await c.get('/api/me', { authorization: 'Basic YWRtaW46YWRtaW4=' })).status).toBe(401);
    c.bearer = 'wsg_unknown';
    expect((await c.get('/api/me')).status).toBe(401);
  });

  it('when a user changes their password, then their other sessions end and the new password works', async () => {
    const name = await createTestUser(ctx().db, 'support');
    const here = client();
    const elsewhere = client();
    await here.login(name);
    await elsewhere.login(name);
    const wrong = await here.post('/api/me/password', { currentPassword: 'nope', newPassword: 'a brand new passphrase' });
    expect(wrong.status).toBe(403);
    const short = await here.post('/api/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toContain('at least 12 characters');
    expect((await here.post('/api/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase' })).status).toBe(
      204,
    );
    expect((await here.get('/api/me')).status).toBe(200);
    expect((await elsewhere.get('/api/me')).status).toBe(401);
    expect((await client().login(name, 'a brand new passphrase')).status).toBe(200);
    expect((await client().login(name)).status).toBe(401);
  });

  it('when a user’s password is changed or the user disabled, then their API tokens are revoked for good', async () => {
    const name = await createTestUser(ctx().db, 'support');
    const api = client();
    api.bearer = (await issueApiToken(ctx().db, name, 'script', 'test', clock)).secret;
    expect((await api.get('/api/me')).status).toBe(200);
    await setUserPassword(ctx().db, name, 'another long passphrase', 'test', { clock, scrypt: TEST_SCRYPT });
    expect((await api.get('/api/me')).status).toBe(401);
    const audit = await ctx().db('audit_log').where({ action: 'tokens.revoke', subject: `users.${name}` });
    expect(audit).toHaveLength(1);

    api.bearer = (await issueApiToken(ctx().db, name, 'script 2', 'test', clock)).secret;
    expect((await api.get('/api/me')).status).toBe(200);
    await setUserDisabled(ctx().db, name, true, 'test', clock);
    await setUserDisabled(ctx().db, name, false, 'test', clock);
    expect((await api.get('/api/me')).status).toBe(401);
    const tokens = await ctx().db('api_tokens').join('users', 'users.id', 'api_tokens.user_id').where('users.username', name);
    expect(tokens.map((t) => t.revoked_at)).toEqual([expect.any(String), expect.any(String)]);
  });

  it('when a user changes their own password, then their API tokens stop working', async () => {
    const name = await createTestUser(ctx().db, 'owner');
    const api = client();
    api.bearer = (await issueApiToken(ctx().db, name, 'script', 'test', clock)).secret;
    const c = client();
    await c.login(name);
    expect((await c.post('/api/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase' })).status).toBe(204);
    expect((await api.get('/api/me')).status).toBe(401);
  });
});
