import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../config/env.ts';
import { fixedClock } from '../src/domain/clock.ts';
import { createAuthContext } from '../src/http/auth-context.ts';
import type { RouteDeps, RouteSpec } from '../src/http/route-spec.ts';
import { ROUTE_MODULES } from '../src/http/routes/index.ts';
import { createLogger } from '../src/log/logger.ts';
import { Client, createTestUser, startTestApp, type TestApp } from './helpers/http.ts';
import { describeEachDialect } from './helpers/test-db.ts';

/** Largest page any list route may serve. */
const MAX_PAGE = 500;

describeEachDialect('list routes are paged', (ctx) => {
  let server: TestApp;
  let owner: Client;
  beforeAll(async () => {
    server = await startTestApp(ctx().db, ctx().url);
    owner = new Client(server.url);
    await owner.login(await createTestUser(ctx().db, 'owner'));
  });
  afterAll(() => server.close());

  it('when any GET route answers a list, then it takes a page size with a maximum of at most 500', () => {
    const clock = fixedClock('2026-11-23T10:00:00.000Z');
    const deps: RouteDeps = {
      db: ctx().db,
      config: loadConfig({ DATABASE_URL: ctx().url }),
      logger: createLogger('silent'),
      clock,
      auth: createAuthContext(ctx().db, clock),
      version: 'test',
      profileWriter: null,
    };
    const specs: RouteSpec[] = ROUTE_MODULES.flatMap((module) => module(deps));
    const lists = specs.filter((spec) => {
      if (spec.method !== 'get' || spec.path.includes(':') || !(spec.response instanceof z.ZodObject)) return false;
      return Object.values(spec.response.shape as Record<string, z.ZodType>).some((field) => field instanceof z.ZodArray);
    });
    // The dashboard's per-day chart is a fixed 14 days, and the books one row per day of the period
    // asked for (its orders are read from the database a page at a time): bounded without paging.
    const paged = lists.filter((s) => s.path !== '/api/dashboard' && s.path !== '/api/books');
    expect(paged.map((s) => s.path).sort()).toEqual(
      [
        '/api/account-clashes',
        '/api/accounts',
        '/api/audit',
        '/api/batches',
        '/api/customers/links',
        '/api/email-links',
        '/api/orders',
        '/api/tokens',
        '/api/users',
      ].sort(),
    );
    for (const spec of paged) {
      const shape = (spec.query as z.ZodObject | undefined)?.shape as Record<string, z.ZodType> | undefined;
      const size = shape?.limit ?? shape?.pageSize;
      expect(size, `${spec.path} has no limit or pageSize`).toBeDefined();
      expect(size!.safeParse(undefined).success, `${spec.path}: a default page size`).toBe(true);
      expect(size!.safeParse(String(MAX_PAGE + 1)).success, `${spec.path}: page size above ${MAX_PAGE} refused`).toBe(false);
    }
  });

  it('when users and tokens are listed a page at a time, then next pages follow until the end', async () => {
    const { db } = ctx();
    for (let i = 0; i < 3; i++) await createTestUser(db, 'support', `pager${i}`);
    const first = await owner.get('/api/users?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.users).toHaveLength(2);
    const seen = first.body.users.map((u: { username: string }) => u.username);
    let next = first.body.nextAfter;
    while (next) {
      const page = await owner.get(`/api/users?limit=2&after=${encodeURIComponent(next)}`);
      seen.push(...page.body.users.map((u: { username: string }) => u.username));
      next = page.body.nextAfter;
    }
    expect(seen).toEqual((await db('users').orderBy('username').pluck('username')) as string[]);
    expect((await owner.get('/api/users?limit=100000')).status).toBe(400);
    expect((await owner.get('/api/tokens?limit=100000')).status).toBe(400);
    const tokens = await owner.get('/api/tokens?limit=1');
    expect(tokens.body).toMatchObject({ tokens: expect.any(Array), nextAfter: null });
  });
});
