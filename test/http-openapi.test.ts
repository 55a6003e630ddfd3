import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client, createTestUser, startTestApp, type TestApp } from './helpers/http.ts';
import { registeredRoutes } from './helpers/routes.ts';
import { describeEachDialect } from './helpers/test-db.ts';

/** The admin page's files are not part of the API (see src/http/page/page-routes.ts). */
const PAGE_ROUTES = new Set(['get /', 'get /assets/{name}']);

describeEachDialect('admin API OpenAPI description', (ctx) => {
  let server: TestApp;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let doc: any;
  beforeAll(async () => {
    server = await startTestApp(ctx().db, ctx().url);
    const client = new Client(server.url);
    await client.login(await createTestUser(ctx().db, 'support'));
    const res = await client.get('/api/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body;
  });
  afterAll(() => server.close());

  it('when fetched, then it is OpenAPI 3.1 with the bearer and cookie security schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'session']);
  });

  it('when compared with the router, then every registered route is described and nothing else', () => {
    const registered = registeredRoutes(server.app)
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`)
      .filter((route) => !PAGE_ROUTES.has(route));
    expect(registered.length).toBeGreaterThan(10);
    const described = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(described.sort()).toEqual([...new Set(registered)].sort());
  });

  it('when a route takes input, then its schema comes from the zod schema the route validates with', () => {
    const put = doc.paths['/api/settings'].put;
    const body = put.requestBody.content['application/json'].schema;
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.onAmbiguousEmail.enum).toEqual(['hold', 'first']);
    expect(body.properties.settleMinutes.maximum).toBe(10080);
    expect(body.required ?? []).toEqual([]);
    expect(put['x-roles']).toEqual(['owner']);
    const audit = doc.paths['/api/audit'].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
    expect(audit).toEqual(['query:action', 'query:subject', 'query:limit', 'query:before']);
    const revoke = doc.paths['/api/tokens/{id}'].delete.parameters[0];
    expect(revoke).toMatchObject({ name: 'id', in: 'path', required: true });
  });

  it('when a route is public, then it says so; every other route requires a credential and lists its roles', () => {
    for (const [path, ops] of Object.entries(
      doc.paths as Record<string, Record<string, { security: unknown[]; 'x-roles': string[]; responses: object }>>,
    )) {
      for (const [method, op] of Object.entries(ops)) {
        const isPublic = ['get /healthz', 'post /api/login', 'post /webhooks/woocommerce'].includes(`${method} ${path}`);
        expect(op.security.length, `${method} ${path}`).toBe(isPublic ? 0 : 2);
        if (!isPublic) expect(op['x-roles'].length).toBeGreaterThan(0);
        expect(Object.keys(op.responses)).toContain('default');
      }
    }
  });
});
