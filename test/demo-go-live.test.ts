import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { addUser } from '../src/auth/users.ts';
import { loadConfig } from '../config/env.ts';
import { startService } from '../src/main.ts';
import { startSandbox } from '../src/sandbox/sandbox.ts';
import { metaText } from '../src/woo/schemas.ts';
import { captureLogger } from './helpers/capture-logger.ts';
import { runWooSage } from './helpers/cli.ts';
import { Client, TEST_PASSWORD, TEST_SCRYPT } from './helpers/http.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describeEachDialect(
  'the demo goes live in the right order',
  (ctx) => {
    it('when the demo runs on a new database, then it imports the Sage export before the first sync: email matches, no clashing code, nothing waits', async () => {
      const { db, url } = ctx();
      const outbox = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-demo-outbox-'));
      dirs.push(outbox);
      const run = await runWooSage(['demo', '--no-serve', '--orders', '150'], {
        LOG_LEVEL: 'silent',
        DATABASE_URL: url,
        OUTBOX_DIR: outbox,
      });
      expect(run.code, run.stderr).toBe(0);
      const importLine = run.stdout.indexOf('imported the Sage customer export first');
      expect(importLine).toBeGreaterThan(-1);
      expect(importLine).toBeLessThan(run.stdout.indexOf('sync finished'));
      expect(run.stdout).toMatch(/rule EXISTING [1-9]/);
      expect(run.stdout).not.toContain('import your Sage customers first');
      // An account created here that a later import "confirmed" would be another buyer's code in Sage.
      expect(await db('sage_accounts').where({ origin: 'created' }).whereNotNull('last_import_id')).toEqual([]);
      expect(await db('orders').where({ awaiting_accounts: true })).toEqual([]);
    });
  },
  { sageAccountsKnown: false },
);

describeEachDialect('store actions of a service that syncs a given store (the demo)', (ctx) => {
  it('when the page links a customer, then the code is written to that store (not "set WOO_URL")', async () => {
    const sandbox = await startSandbox({ orders: 20, customers: 12, seed: 7 });
    const service = await startService(loadConfig({ DATABASE_URL: ctx().url, LOG_LEVEL: 'silent' }), {
      logger: captureLogger().logger,
      port: 0,
      host: '127.0.0.1',
      store: { url: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret },
      storeId: 'demo-test',
      syncOnStart: false,
      app: { auth: { scrypt: TEST_SCRYPT } },
    });
    try {
      await addUser(ctx().db, { username: 'owner1', password: TEST_PASSWORD, role: 'owner' }, 'test', { scrypt: TEST_SCRYPT });
      const client = new Client(service.url);
      await client.login('owner1');
      const linked = await client.post('/api/customers/links', { links: [{ customerId: 3, code: 'SILVA01', allowUnknown: true }] });
      expect(linked.status, linked.text).toBe(200);
      expect(linked.body.results[0]).toMatchObject({ ok: true });
      const profileCode = () =>
        metaText(sandbox.store.getCustomer(3)!.meta_data as Array<{ key: string; value: unknown }>, 'sage_account_code');
      expect(profileCode()).toBe('SILVA01');
      const unlinked = await client.post('/api/customers/links', { links: [{ customerId: 3, code: '' }] });
      expect(unlinked.body.results[0]).toMatchObject({ ok: true });
      expect(profileCode() ?? '').toBe('');
    } finally {
      await service.stop('test');
      await sandbox.close();
    }
  });
});
