import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client, createTestUser, startTestApp, TEST_PASSWORD, type TestApp } from './helpers/http.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('admin API users and tokens', (ctx) => {
  let server: TestApp;
  let owner: Client;
  let ownerName: string;
  beforeAll(async () => {
    server = await startTestApp(ctx().db, ctx().url);
    owner = new Client(server.url);
    ownerName = await createTestUser(ctx().db, 'owner');
    await owner.login(ownerName);
  });
  afterAll(() => server.close());

  it('when the owner adds a support user, then it can sign in and is audited; the hash is never shown', async () => {
    const res = await owner.post('/api/users', { username: 'Sam.Support', role: 'support', password: 'a long enough passphrase' });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ username: 'sam.support', role: 'support', disabledAt: null });
    expect(Object.keys(res.body.user)).not.toContain('passwordHash');
    const list = await owner.get('/api/users');
    expect(list.text).not.toMatch(/scrypt/);
    expect(list.body.users.map((u: { username: string }) => u.username)).toContain('sam.support');
    expect((await new Client(server.url).login('sam.support', 'a long enough passphrase')).status).toBe(200);
    const audit = await owner.get('/api/audit?action=users.add&subject=users.sam.support');
    expect(audit.body.entries[0]).toMatchObject({ actor: ownerName, after: { role: 'support' } });
    expect(JSON.stringify(audit.body)).not.toContain('a long enough passphrase');
  });

  it('when a user is added twice or with a weak password, then 409 / 400 say why', async () => {
    const name = await createTestUser(ctx().db, 'support');
    expect((await owner.post('/api/users', { username: name, role: 'support', password: TEST_PASSWORD })).status).toBe(409);
    const weak = await owner.post('/api/users', { username: 'weakling', role: 'support', password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.message).toContain('at least 12 characters');
  });

  it('when the owner disables a user, then that user is signed out; the last active owner cannot be disabled or demoted', async () => {
    const name = await createTestUser(ctx().db, 'support');
    const victim = new Client(server.url);
    await victim.login(name);
    const res = await owner.request('PATCH', `/api/users/${name}`, { body: { disabled: true } });
    expect(res.status).toBe(200);
    expect(res.body.user.disabledAt).not.toBeNull();
    expect((await victim.get('/api/me')).status).toBe(401);
    const owners = await ctx().db('users').where({ role: 'owner' }).whereNull('disabled_at');
    for (const other of owners.filter((u: { username: string }) => u.username !== ownerName)) {
      await owner.request('PATCH', `/api/users/${other.username}`, { body: { disabled: true } });
    }
    const self = await owner.request('PATCH', `/api/users/${ownerName}`, { body: { role: 'support' } });
    expect(self.status).toBe(409);
    expect(self.body.error.message).toContain('only active owner');
    expect((await owner.request('PATCH', `/api/users/${ownerName}`, { body: { disabled: true } })).status).toBe(409);
    // A refused change leaves the rest of the request undone too: the password is still the old one.
    const mixed = await owner.request('PATCH', `/api/users/${ownerName}`, {
      body: { role: 'support', password: 'another long passphrase' },
    });
    expect(mixed.status).toBe(409);
    expect((await new Client(server.url).login(ownerName, TEST_PASSWORD)).status).toBe(200);
    expect((await owner.request('PATCH', '/api/users/nobody', { body: { disabled: true } })).status).toBe(404);
  });

  it('when the owner issues a token, then its secret is shown once, works as a bearer, and listing never shows it', async () => {
    const name = await createTestUser(ctx().db, 'support');
    const issued = await owner.post('/api/tokens', { username: name, name: 'nightly report' });
    expect(issued.status).toBe(201);
    const secret: string = issued.body.secret;
    expect(secret.startsWith(issued.body.token.prefix)).toBe(true);
    const api = new Client(server.url);
    api.bearer = secret;
    expect((await api.get('/api/me')).body.user.username).toBe(name);
    expect((await api.put('/api/settings', { settleMinutes: 1 })).status).toBe(403); // the token has its user's role
    const list = await owner.get(`/api/tokens?username=${name}`);
    expect(list.body.tokens).toEqual([
      expect.objectContaining({ name: 'nightly report', username: name, revokedAt: null, lastUsedAt: expect.any(String) }),
    ]);
    expect(list.text).not.toContain(secret);
    const revoked = await owner.request('DELETE', `/api/tokens/${issued.body.token.id}`);
    expect(revoked.body.token.revokedAt).not.toBeNull();
    expect((await api.get('/api/me')).status).toBe(401);
  });
});
