import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertWooOrder } from './helpers/allocation-rows.ts';
import { runCli } from '../src/cli/main.ts';
import { captureIo } from './helpers/cli.ts';
import { Client, createTestUser, startTestApp, type TestApp } from './helpers/http.ts';
import { describeEachDialect } from './helpers/test-db.ts';
import { buildOrder } from './helpers/woo-cart.ts';

// Each nests a repetition: on an 8-character code that almost matches, the backtracking engine
// tried 2^n ways per level (18 s with a few levels before the check).
const CATASTROPHIC = ['^(A+)+$', '^([A-Z]+)*$', '^(((((A*)*)*)*)*)*$', '^(A|A)+$'];
const ALMOST = 'AAAAAAA!';

describeEachDialect('accountCodePattern cannot stall the server', (ctx) => {
  let server: TestApp;
  let owner: Client;
  let support: Client;

  beforeAll(async () => {
    const { db } = ctx();
    server = await startTestApp(db, ctx().url);
    owner = new Client(server.url);
    await owner.login(await createTestUser(db, 'owner'));
    support = new Client(server.url);
    await support.login(await createTestUser(db, 'support'));
    const order = buildOrder({
      id: 801,
      lines: [{ price: '10.00', quantity: 1, rate: 20 }],
      pricesIncludeTax: false,
      roundAtSubtotal: false,
    });
    await insertWooOrder(db, { ...order, status: 'processing', billing: { ...order.billing, company: ALMOST } });
  });
  afterAll(() => server.close());

  it('when the owner saves a catastrophic pattern, then it is refused at once with a clear message and nothing changes', async () => {
    for (const pattern of CATASTROPHIC) {
      const started = Date.now();
      const res = await owner.put('/api/settings', { accountCodePattern: pattern, defaultAccountCode: 'AAAAAAA' });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(res.status, pattern).toBe(400);
      expect(res.body.error.message).toContain('accountCodePattern');
      expect(res.body.error.message).toMatch(/repeats a part that itself repeats or has alternatives/);
    }
    const long = await owner.put('/api/settings', { accountCodePattern: `^${'[A-Z]?'.repeat(20)}$` });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/accountCodePattern: must be at most 100 characters/);
    expect((await owner.get('/api/settings')).body.settings.accountCodePattern).toBe('^[A-Z0-9]{1,8}$');
  });

  it('when a preview brings a pattern, then a support user is refused and the owner’s catastrophic one is refused quickly', async () => {
    const fromSupport = await support.post('/api/plan/preview', { orderId: 801, settings: { accountCodePattern: '^[A-Z]{1,8}$' } });
    expect(fromSupport.status).toBe(403);
    expect(fromSupport.body.error.message).toContain('accountCodePattern');
    const saved = (await support.get('/api/settings')).body.settings;
    expect((await support.post('/api/plan/preview', { orderId: 801, settings: { ...saved, createAccounts: false } })).status).toBe(200);
    for (const pattern of CATASTROPHIC) {
      const started = Date.now();
      const [res, health] = await Promise.all([
        owner.post('/api/plan/preview', { orderId: 801, settings: { accountCodePattern: pattern } }),
        new Client(server.url).get('/healthz'),
      ]);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(res.status, pattern).toBe(400);
      expect(health.status).toBe(200);
    }
  });

  it('when a catastrophic pattern was saved by an older version, then reading it is refused until a safe one replaces it', async () => {
    const { db } = ctx();
    await db('settings').insert({
      name: 'main',
      version: 1,
      document: JSON.stringify({ accountCodePattern: '^(A+)+$' }),
      updated_at: '2026-11-01T00:00:00.000Z',
      updated_by: 'old version',
    });
    const started = Date.now();
    const preview = await owner.post('/api/plan/preview', { orderId: 801, settings: {} });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(preview.status).toBe(400);
    expect(preview.body.error.message).toMatch(/saved settings are not valid any more: accountCodePattern: "\(A\+\)\+" repeats/);
    const read = await owner.get('/api/settings');
    expect(read.status).toBe(400);
    const unrelated = await owner.put('/api/settings', { settleMinutes: 5 });
    expect(unrelated.status).toBe(400);
    const fixed = await owner.put('/api/settings', { accountCodePattern: '^[A-Z0-9]{1,8}$' });
    expect(fixed.status).toBe(200);
    expect(fixed.body.changes).toEqual([{ key: 'accountCodePattern', before: '^(A+)+$', after: '^[A-Z0-9]{1,8}$' }]);
    expect((await owner.post('/api/plan/preview', { orderId: 801, settings: {} })).status).toBe(200);
  });

  it('when the CLI sets a catastrophic pattern, then it exits 2 naming the setting', async () => {
    const io = captureIo({ DATABASE_URL: ctx().url });
    expect(await runCli(['node', 'woo-sage', 'settings', 'set', 'accountCodePattern', '^([A-Z]+)*$'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/accountCodePattern: "\(\[A-Z\]\+\)\*" repeats/);
  });
});
