import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { Client, createTestUser, startTestApp, type TestApp } from './helpers/http.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('admin API store check', (ctx) => {
  let sandbox: Sandbox;
  let server: TestApp;
  let owner: Client;
  let support: Client;

  beforeAll(async () => {
    const { db } = ctx();
    sandbox = await startSandbox({ orders: 4, site: { permalinks: 'plain' } });
    server = await startTestApp(db, ctx().url, {
      env: { WOO_URL: sandbox.url, WOO_CONSUMER_KEY: sandbox.consumerKey, WOO_CONSUMER_SECRET: sandbox.consumerSecret },
    });
    owner = new Client(server.url);
    await owner.login(await createTestUser(db, 'owner'));
    support = new Client(server.url);
    await support.login(await createTestUser(db, 'support'));
  });
  afterAll(async () => {
    await server.close();
    await sandbox.close();
  });

  it('when an owner tests the connection, then the answer is what woo-sage check --json prints, and never holds the keys', async () => {
    const answer = await owner.post('/api/check');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'unusable', exitCode: 2, store: sandbox.url });
    expect(answer.body.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'wp.permalinks', level: 'fatal', fix: expect.stringContaining('Settings → Permalinks') }),
      ]),
    );

    sandbox.site.permalinks = 'pretty';
    const fixed = await owner.post('/api/check');
    expect(fixed.body.findings.find((f: { id: string }) => f.id === 'keys.valid')).toMatchObject({ level: 'ok' });
    for (const text of [answer.text, fixed.text, server.logs.join('\n')]) {
      expect(text).not.toContain(sandbox.consumerKey);
      expect(text).not.toContain(sandbox.consumerSecret);
    }
  });

  it('when a support user asks, then it is refused: the check reads the store with the owner’s keys', async () => {
    const answer = await support.post('/api/check');
    expect(answer.status).toBe(403);
    expect(sandbox.requests.total).toBeGreaterThan(0);
  });
});
