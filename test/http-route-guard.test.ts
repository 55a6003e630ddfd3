import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRoute } from '../src/http/route-spec.ts';
import { Client, createTestUser, startTestApp, type TestApp } from './helpers/http.ts';
import { registeredRoutes, sampleUrl, type RegisteredRoute } from './helpers/routes.ts';
import { describeEachDialect } from './helpers/test-db.ts';

/**
 * The only routes anyone may call without credentials. Adding to this list is a security
 * decision: the signed WooCommerce webhook (POST /webhooks/woocommerce) will be the next.
 * `GET /` and `GET /assets/:name` serve the admin page's code (no data; test/http-page.test.ts
 * checks what they hold), so the sign-in screen can load.
 */
// The webhook is public but refuses (401) anything not signed with WOO_WEBHOOK_SECRET: test/serve-scheduler.test.ts.
const PUBLIC_ROUTES = new Set(['GET /healthz', 'POST /api/login', 'GET /', 'GET /assets/:name', 'POST /webhooks/woocommerce']);

const key = (r: RegisteredRoute) => `${r.method} ${r.path}`;

describeEachDialect('admin API route guard', (ctx) => {
  let server: TestApp;
  let routes: RegisteredRoute[];
  beforeAll(async () => {
    server = await startTestApp(ctx().db, ctx().url);
    routes = registeredRoutes(server.app);
  });
  afterAll(() => server.close());

  it('when the router is walked, then it finds the routes of every module', () => {
    const keys = routes.map(key);
    for (const expected of [
      'GET /healthz',
      'POST /api/login',
      'GET /api/me',
      'PUT /api/settings',
      'GET /api/audit',
      'GET /api/openapi.json',
      'DELETE /api/tokens/:id',
    ]) {
      expect(keys).toContain(expected);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('when any route but the allow-listed ones is called without valid credentials, then it answers 401', async () => {
    const guarded = routes.filter((r) => !PUBLIC_ROUTES.has(key(r)));
    expect(guarded.length).toBeGreaterThan(10);
    const attempts: Array<[string, Client]> = [['no credentials', new Client(server.url)]];
    const badBearer = new Client(server.url);
    badBearer.bearer = 'wsg_not-a-real-token';
    attempts.push(['an unknown bearer token', badBearer]);
    const badCookie = new Client(server.url);
    badCookie.sessionCookie = 'forged-session';
    badCookie.csrfToken = 'forged-csrf';
    attempts.push(['a forged session cookie', badCookie]);
    for (const route of guarded) {
      for (const [what, client] of attempts) {
        const res = await client.request(route.method, sampleUrl(route.path), { body: {} });
        expect(res.status, `${key(route)} with ${what}`).toBe(401);
        expect(res.body.error.code).toBe('UNAUTHENTICATED');
      }
    }
  });

  it('when any unsafe route (POST, PUT, PATCH, DELETE) is called with a valid session cookie but no CSRF token, then it is refused with 403 and nothing runs', async () => {
    const unsafe = routes.filter((r) => !PUBLIC_ROUTES.has(key(r)) && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
    expect(unsafe.map((r) => r.method)).toContain('DELETE');
    const owner = new Client(server.url);
    await owner.login(await createTestUser(ctx().db, 'owner'));
    const token = owner.csrfToken;
    const auditBefore = await ctx().db('audit_log').count({ n: '*' }).first();
    for (const [what, csrf] of [
      ['no CSRF token', undefined],
      ['a wrong CSRF token', 'not-the-token'],
    ] as const) {
      owner.csrfToken = csrf;
      for (const route of unsafe) {
        const res = await owner.request(route.method, sampleUrl(route.path), { body: {} });
        expect(res.status, `${key(route)} with ${what}`).toBe(403);
        expect(res.body.error.code, `${key(route)} with ${what}`).toBe('CSRF_FAILED');
      }
    }
    expect(await ctx().db('audit_log').count({ n: '*' }).first()).toEqual(auditBefore);
    // The same session with its token is let through (the check is the token, not the session).
    owner.csrfToken = token;
    expect((await owner.post('/api/logout')).status).toBe(204);
  });

  it('when an allow-listed route is called without credentials, then it is served', async () => {
    const client = new Client(server.url);
    expect((await client.get('/healthz')).status).toBe(200);
    expect((await client.post('/api/login', { username: 'x', password: 'y' })).status).toBe(401); // answered, not refused
    expect((await client.get('/')).status).toBe(200);
    expect((await client.get('/assets/app.js')).status).toBe(200);
    const unsigned = await client.request('POST', '/webhooks/woocommerce', {
      rawBody: '{"id":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.status).toBe(401); // answered by the signature check, never processed
    expect(unsigned.body.error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    for (const path of PUBLIC_ROUTES) expect(routes.map(key)).toContain(path);
  });

  it('when an unknown path is requested without credentials, then it is 401 (routes are not discoverable); with them, 404', async () => {
    expect((await new Client(server.url).get('/api/nothing-here')).status).toBe(401);
    const owner = new Client(server.url);
    await owner.login(await createTestUser(ctx().db, 'owner'));
    const res = await owner.get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('when a module is plugged in through createApp options, then its routes are guarded and listed too', async () => {
    const extra = await startTestApp(ctx().db, ctx().url, {
      routes: [
        () => [
          defineRoute({
            method: 'get',
            path: '/api/example',
            summary: 'Example',
            tags: ['example'],
            roles: ['owner'],
            response: z.object({ ok: z.boolean() }),
            handler: async () => ({ ok: true }),
          }),
        ],
      ],
    });
    try {
      expect(registeredRoutes(extra.app).map(key)).toContain('GET /api/example');
      expect((await new Client(extra.url).get('/api/example')).status).toBe(401);
      const owner = new Client(extra.url);
      await owner.login(await createTestUser(ctx().db, 'owner'));
      expect((await owner.get('/api/example')).body).toEqual({ ok: true });
      const doc = (await owner.get('/api/openapi.json')).body;
      expect(doc.paths['/api/example'].get['x-roles']).toEqual(['owner']);
    } finally {
      await extra.close();
    }
  });

  it('when a support user calls any owner-only route, then it answers 403 and nothing changes', async () => {
    const owner = new Client(server.url);
    await owner.login(await createTestUser(ctx().db, 'owner'));
    const doc = (await owner.get('/api/openapi.json')).body;
    const support = new Client(server.url);
    await support.login(await createTestUser(ctx().db, 'support'));
    const auditBefore = await ctx().db('audit_log').count({ n: '*' }).first();
    let checked = 0;
    for (const route of routes) {
      const op = doc.paths[route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[route.method.toLowerCase()];
      if (!op || op['x-roles'].length === 0 || op['x-roles'].includes('support')) continue;
      const res = await support.request(route.method, sampleUrl(route.path), {
        body: { settleMinutes: 5, username: 'x', role: 'owner', password: 'p'.repeat(20), name: 'n' },
      });
      expect(res.status, key(route)).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      // The refusal says who cannot do what, in the words of the route's summary.
      expect(res.body.error.message, key(route)).toBe(`the support role cannot ${String(op.summary).toLowerCase()}; ask an owner`);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(8);
    expect(await ctx().db('audit_log').count({ n: '*' }).first()).toEqual(auditBefore);
  });
});
