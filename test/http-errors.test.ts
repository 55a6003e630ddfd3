import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { openDatabase } from '../src/db/connection.ts';
import { AppError, ConflictError } from '../src/domain/errors.ts';
import { CSRF_HEADER } from '../src/http/authenticate.ts';
import { SESSION_COOKIE } from '../src/http/cookies.ts';
import { defineRoute, type RouteModule } from '../src/http/route-spec.ts';
import { Client, createTestUser, startTestApp, type TestApp } from './helpers/http.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const LEAKY_VALUE = 'scrypt-hash-that-must-not-leak';

const failingRoutes: RouteModule = ({ db }) => [
  defineRoute({
    method: 'post',
    path: '/api/test/conflict',
    summary: 'Fail with a typed error',
    tags: ['test'],
    roles: ['owner', 'support'],
    handler: async () => {
      throw new ConflictError('order 42 is already queued', { orderId: 42 });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/test/driver-error',
    summary: 'Fail inside the database driver',
    tags: ['test'],
    roles: ['owner', 'support'],
    handler: async () => db('users').insert({ username: null, password_hash: LEAKY_VALUE }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/test/zod-error',
    summary: 'Fail parsing something inside a handler',
    tags: ['test'],
    roles: ['owner', 'support'],
    handler: async () => z.object({ count: z.number() }).parse({ count: 'many' }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/test/unavailable',
    summary: 'Fail with a typed 503',
    tags: ['test'],
    roles: ['owner', 'support'],
    handler: async () => {
      throw new AppError('STORE_UNAVAILABLE', 'the store did not answer', 503);
    },
  }),
];

describeEachDialect('admin API errors and headers', (ctx) => {
  let server: TestApp;
  let client: Client;
  beforeAll(async () => {
    server = await startTestApp(ctx().db, ctx().url, { routes: [failingRoutes] });
    client = new Client(server.url);
    await client.login(await createTestUser(ctx().db, 'support'));
  });
  afterAll(() => server.close());

  it('when a handler throws a typed error, then its status, code, message and details are the answer', async () => {
    const res = await client.post('/api/test/conflict');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: { code: 'CONFLICT', message: 'order 42 is already queued', details: { orderId: 42 } } });
    expect((await client.get('/api/test/unavailable')).body.error.code).toBe('STORE_UNAVAILABLE');
  });

  it('when a handler fails in the driver, then the client gets a generic 500 with a request id and the log has no SQL values', async () => {
    const res = await client.get('/api/test/driver-error');
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('INTERNAL');
    const requestId = res.headers.get('x-request-id');
    expect(res.body.error.details).toEqual({ requestId });
    expect(res.text).not.toMatch(/insert|users|sqlite|mysql|ER_|stack|at /i);
    expect(res.text).not.toContain(LEAKY_VALUE);
    const line = server.logs.find((l) => l.includes('"request failed"') && l.includes(requestId!));
    expect(line).toBeDefined();
    expect(JSON.parse(line!).error.stack).toMatch(/\n\s+at /);
    expect(server.logs.join('\n')).not.toContain(LEAKY_VALUE);
  });

  it('when a handler throws a zod error, then it is a 400 naming the field', async () => {
    const res = await client.get('/api/test/zod-error');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { problems: [expect.stringMatching(/^count: /)] } });
  });

  it('when the body is not JSON or too large, then 400 / 413 without echoing it', async () => {
    const bad = await client.request('POST', '/api/login', {
      rawBody: '{"username": "x", "password": secret-typed-here',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_JSON');
    expect(bad.text).not.toContain('secret-typed-here');
    const big = await client.post('/api/login', { username: 'x', password: 'y'.repeat(200_000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('when a body says it is gzip, deflate or br but does not decode, then 400 INVALID_BODY_ENCODING and a warning, not an error', async () => {
    const truncatedGzip = gzipSync(JSON.stringify({ username: 'x', password: 'y' })).subarray(0, 15);
    const cases: Array<[string, string, Uint8Array | string]> = [
      ['gzip', '/api/login', 'plainly not gzip'],
      ['gzip', '/api/login', truncatedGzip],
      ['deflate', '/api/orders/reprocess', 'not deflate either'],
      ['br', '/api/login', 'nor brotli'],
      ['gzip', '/webhooks/woocommerce', 'a raw-body route'],
      ['gzip', '/api/accounts/import', '<Company/>'],
    ];
    for (const [encoding, path, body] of cases) {
      const before = server.logs.length;
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-encoding': encoding,
          cookie: `${SESSION_COOKIE}=${client.sessionCookie}`,
          [CSRF_HEADER]: client.csrfToken!,
        },
        body,
      });
      const answer = (await res.json()) as { error: { code: string; message: string } };
      expect(res.status, `${encoding} ${path}`).toBe(400);
      expect(answer.error.code).toBe('INVALID_BODY_ENCODING');
      expect(answer.error.message).toContain(`Content-Encoding ${encoding}`);
      const logged = server.logs.slice(before).map((line) => JSON.parse(line) as { level: number; msg: string });
      expect(logged.some((l) => l.level === 40 && l.msg.includes('could not be decoded'))).toBe(true);
      expect(logged.filter((l) => l.level >= 50)).toEqual([]);
    }
  });

  it('when the login body is missing fields, then 400 names them', async () => {
    const res = await new Client(server.url).post('/api/login', { username: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.problems).toEqual([expect.stringMatching(/^body\.password: /)]);
  });

  it('when any answer is sent, then it carries the security headers and no X-Powered-By', async () => {
    for (const res of [
      await client.get('/api/me'),
      await new Client(server.url).get('/healthz'),
      await new Client(server.url).get('/api/me'),
    ]) {
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('strict-transport-security')).toBeNull(); // plain http
    }
    expect((await client.get('/api/me')).headers.get('cache-control')).toBe('no-store');
  });

  it('when /healthz is asked, then it reports the version and the database', async () => {
    const res = await new Client(server.url).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/), database: 'ok' });
  });

  it('when the database is gone, then /healthz answers 503 without the driver’s error', async () => {
    const db = openDatabase(ctx().url);
    await db.destroy();
    const broken = await startTestApp(db, ctx().url);
    try {
      const res = await new Client(broken.url).get('/healthz');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'unavailable', version: expect.any(String), database: 'unreachable' });
    } finally {
      await broken.close();
    }
  });
});
