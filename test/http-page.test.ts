import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, WOO_KEY, WOO_SECRET, type TestApp } from './helpers/http.ts';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.ts';

// The page's routes touch no database: SQLite only.
describe('admin page files', () => {
  const ADMIN_PASSWORD = 'an admin password that must stay secret';
  let tdb: TestDatabase;
  let server: TestApp;
  const client = () => new Client(server.url);
  beforeAll(async () => {
    tdb = await createTestDatabase('sqlite');
    server = await startTestApp(tdb.db, tdb.url, { env: { ADMIN_PASSWORD } });
  });
  afterAll(async () => {
    await server.close();
    await tdb.destroy();
  });

  it('when / is requested without credentials, then the page loads with a self-only policy and no inline code', async () => {
    const res = await client().get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.text).toContain('<script type="module" src="/assets/app.js"></script>');
    expect(res.text.match(/<script/g)).toHaveLength(1);
    expect(res.text).not.toMatch(/\sstyle=|\son[a-z]+=/i);
  });

  it('when the page files are requested, then each has its type and revalidates by ETag', async () => {
    for (const [name, type] of [
      ['app.js', 'text/javascript; charset=utf-8'],
      ['app.css', 'text/css; charset=utf-8'],
      ['icon.svg', 'image/svg+xml'],
    ]) {
      const res = await client().get(`/assets/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      const again = await client().get(`/assets/${name}`, { 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
    }
  });

  it('when the page files are read, then they hold no secret and load nothing from another origin', async () => {
    const text = (await Promise.all(['/', '/assets/app.js', '/assets/app.css', '/assets/icon.svg'].map((p) => client().get(p))))
      .map((r) => r.text)
      .join('\n');
    for (const secret of [WOO_KEY, WOO_SECRET, ADMIN_PASSWORD, tdb.url, '$scrypt$']) expect(text).not.toContain(secret);
    const urls = [...text.matchAll(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'`)]*/gi)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
    expect(text).not.toMatch(/@import\s+url|fonts\.googleapis|cdn\./i);
  });

  it('when another file name or a path outside the page is asked for, then 404, and the API stays guarded', async () => {
    for (const path of ['/assets/assets.ts', '/assets/..%2Fassets.ts', '/assets/index.html', '/assets/main.ts']) {
      const res = await client().get(path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    expect((await client().get('/api/orders')).status).toBe(401);
    expect((await client().get('/index.html')).status).toBe(401);
  });
});
