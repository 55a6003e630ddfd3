import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { CheckReport, Finding } from '../src/check/findings.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../src/sandbox/sandbox.ts';
import { DEFAULT_TAX_RATES } from '../src/sandbox/site-config.ts';
import { createWooClient } from '../src/woo/client.ts';
import { runWooSage } from './helpers/cli.ts';
import { freePort } from './helpers/free-port.ts';
import { describeEachDialect } from './helpers/test-db.ts';

/** `woo-sage check --json` against a sandbox shop set up (or misconfigured) as `options` say. */
describeEachDialect(
  'woo-sage check',
  (ctx) => {
    const sandboxes: Sandbox[] = [];
    let tmp = '';

    beforeAll(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-check-'));
    });
    afterEach(async () => {
      await Promise.all(sandboxes.splice(0).map((s) => s.close()));
    });
    afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

    async function shop(options: SandboxOptions = {}): Promise<Sandbox> {
      const sandbox = await startSandbox({ orders: 4, ...options });
      sandboxes.push(sandbox);
      return sandbox;
    }

    function envFor(sandbox: Sandbox, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
      return {
        DATABASE_URL: ctx().url,
        WOO_URL: sandbox.url,
        WOO_CONSUMER_KEY: sandbox.consumerKey,
        WOO_CONSUMER_SECRET: sandbox.consumerSecret,
        LOG_LEVEL: 'silent',
        ...overrides,
      };
    }

    async function check(env: NodeJS.ProcessEnv): Promise<{ code: number; report: CheckReport; stdout: string; stderr: string }> {
      const run = await runWooSage(['check', '--json'], env);
      return { ...run, report: JSON.parse(run.stdout) as CheckReport };
    }

    const byId = (report: CheckReport, id: string): Finding[] => report.findings.filter((f) => f.id === id);
    const one = (report: CheckReport, id: string): Finding => {
      const found = byId(report, id);
      expect(found, `finding ${id} in ${JSON.stringify(report.findings.map((f) => f.id))}`).toHaveLength(1);
      return found[0]!;
    };
    const problems = (report: CheckReport) => report.findings.filter((f) => f.level === 'fail' || f.level === 'fatal');

    async function settingsSet(key: string, value: unknown): Promise<void> {
      const run = await runWooSage(['settings', 'set', key, typeof value === 'string' ? value : JSON.stringify(value)], {
        DATABASE_URL: ctx().url,
        LOG_LEVEL: 'silent',
      });
      expect(run.code, run.stderr).toBe(0);
    }

    it('when no Sage customer export has been imported, then the shop is not ready (exit 1) and the finding says how to import one', async () => {
      const sandbox = await shop();
      const { code, report } = await check(envFor(sandbox));
      expect(problems(report).map((f) => f.id)).toEqual(['sage.accounts-imported']);
      expect(code).toBe(1);
      expect(report.status).toBe('not_ready');
      expect(one(report, 'sage.accounts-imported').fix).toContain('woo-sage accounts import');

      // An owner's word that Sage has no customers yet is as good as an export for going live.
      const confirmed = await runWooSage(['accounts', 'import', '--empty'], { DATABASE_URL: ctx().url, LOG_LEVEL: 'silent' });
      expect(confirmed.code, confirmed.stderr).toBe(0);
      const after = await check(envFor(sandbox));
      expect(one(after.report, 'sage.accounts-imported')).toMatchObject({ level: 'ok' });
      expect(one(after.report, 'sage.accounts-imported').message).toMatch(/confirmed on .* that Sage has no customers yet/);
      expect(after.code).toBe(0);
    });

    it('when the default sandbox is checked after its Sage accounts are imported, then it is ready (exit 0), every check has its line and no secret is printed', async () => {
      const sandbox = await shop();
      const file = path.join(tmp, 'accounts.xml');
      fs.writeFileSync(file, sandbox.sageAccountsXml());
      const imported = await runWooSage(['accounts', 'import', file, '--all'], { DATABASE_URL: ctx().url, LOG_LEVEL: 'silent' });
      expect(imported.code, imported.stderr).toBe(0);

      const { code, report, stdout } = await check(envFor(sandbox));
      expect(problems(report)).toEqual([]);
      expect(code).toBe(0);
      expect(report).toMatchObject({ status: 'ready', exitCode: 0, store: sandbox.url });
      for (const id of [
        'database',
        'store.reachable',
        'wp.rest-api',
        'woo.rest-api',
        'wp.site-address',
        'keys.valid',
        'woo.version',
        'keys.permission',
        'store.currency',
        'store.prices-include-tax',
        'store.tax-rounding',
        'store.timezone',
        'sage.accounts-imported',
      ])
        expect(one(report, id).level, id).toMatch(/^(ok|info)$/);
      expect(byId(report, 'tax.rate').map((f) => f.message)).toEqual([
        'tax rate 1 "VAT" 20% (GB, class standard) → T1',
        'tax rate 2 "Reduced rate VAT" 5% (GB, class reduced-rate) → T5',
        'tax rate 3 "Zero rate" 0% (GB, class zero-rate) → T0',
      ]);
      expect(one(report, 'woo.version').message).toContain('WooCommerce 7.9.0');
      // The gateways' own settings carry API credentials: never echoed.
      expect(stdout).not.toContain('sk_live_');
      expect(stdout).not.toContain(sandbox.consumerKey);
      expect(stdout).not.toContain(sandbox.consumerSecret);

      const text = await runWooSage(['check'], envFor(sandbox));
      expect(text.code).toBe(0);
      const lines = text.stdout.split('\n');
      expect(lines).toHaveLength(report.findings.length + 1);
      expect(lines.at(-1)).toMatch(/^ready: woo-sage can sync this store/);
    });

    it('when the check runs, then the store is only read: its one POST goes to a route WooCommerce does not have', async () => {
      const sandbox = await shop();
      const seen: string[] = [];
      sandbox.onRequest((r) => void seen.push(`${r.method} ${r.path}`));
      const before = JSON.stringify(sandbox.store.getCustomer(1));
      await check(envFor(sandbox));
      expect(seen.filter((r) => !r.startsWith('GET '))).toEqual(['POST /woo-sage-permission-probe']);
      expect(seen).toEqual(
        expect.arrayContaining(['GET /system_status', 'GET /settings/general', 'GET /settings/tax', 'GET /taxes', 'GET /payment_gateways']),
      );
      expect(JSON.stringify(sandbox.store.getCustomer(1))).toBe(before);
    });

    it('when the permalinks are Plain, then it is unusable (exit 2) and says which setting to change, since ?rest_route= answers', async () => {
      const sandbox = await shop({ site: { permalinks: 'plain' } });
      const { code, report } = await check(envFor(sandbox));
      expect(code).toBe(2);
      const permalinks = one(report, 'wp.permalinks');
      expect(permalinks.level).toBe('fatal');
      expect(permalinks.message).toContain(`${sandbox.url}/?rest_route=/`);
      expect(permalinks.fix).toContain('Settings → Permalinks');
      expect(byId(report, 'keys.valid')).toEqual([]);
    });

    it('when WOO_URL names another host than WordPress’s Site Address over http, then it says so instead of "invalid signature", and names the address to use', async () => {
      const sandbox = await shop({ site: { siteHost: 'localhost' } });
      const port = new URL(sandbox.url).port;
      // What the sync would see: the store refuses the signature, which looks like wrong keys.
      const client = createWooClient(
        { url: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret },
        { retry: { attempts: 1 } },
      );
      await expect(client.getJson('system_status')).rejects.toThrow(/Invalid signature/);

      const { code, report } = await check(envFor(sandbox));
      expect(code).toBe(2);
      const address = one(report, 'wp.site-address');
      expect(address.level).toBe('fatal');
      expect(address.message).toContain('invalid signature');
      expect(address.fix).toContain(`set WOO_URL=http://localhost:${port}`);

      const fixed = await check(envFor(sandbox, { WOO_URL: `http://localhost:${port}` }));
      expect(one(fixed.report, 'wp.site-address').level).toBe('ok');
      expect(one(fixed.report, 'keys.valid').level).toBe('ok');
    });

    it('when the server redirects to its canonical host, then the redirect is named as the address to use', async () => {
      const sandbox = await shop({ site: { redirectToHost: 'localhost' } });
      const port = new URL(sandbox.url).port;
      const { code, report } = await check(envFor(sandbox));
      expect(code).toBe(2);
      expect(one(report, 'store.redirect')).toMatchObject({ level: 'fatal', fix: `set WOO_URL=http://localhost:${port}` });
    });

    it('when WOO_URL is a page of the site (…/shop), then WordPress’s guess redirect is explained as not the address to use, and the Site Address is', async () => {
      const sandbox = await shop();
      const { code, report } = await check(envFor(sandbox, { WOO_URL: `${sandbox.url}/shop` }));
      expect(code).toBe(2);
      const redirect = one(report, 'store.redirect');
      expect(redirect.message).toContain(`redirected to the page ${sandbox.url}/shop/`);
      expect(redirect.message).toContain('not the address to use');
      expect(one(report, 'wp.rest-api')).toMatchObject({ level: 'fatal', fix: `set WOO_URL=${sandbox.url}` });
    });

    it('when a security plugin closes the REST index to anonymous readers, then that is a warning and the keys are still checked', async () => {
      const sandbox = await shop({ site: { restIndexClosed: true } });
      const { code, report } = await check(envFor(sandbox));
      expect(code).toBe(0);
      expect(one(report, 'wp.rest-api')).toMatchObject({ level: 'warn', message: expect.stringContaining('rest_cannot_access') });
      expect(one(report, 'keys.valid').level).toBe('ok');
      expect(one(report, 'store.timezone').level).toBe('info');
      expect(byId(report, 'wp.site-address')).toEqual([]);
    });

    it('when the keys are wrong, then each way they are wrong is named', async () => {
      const sandbox = await shop();
      const secret = await check(envFor(sandbox, { WOO_CONSUMER_SECRET: `cs_${'0'.repeat(40)}` }));
      expect(secret.code).toBe(2);
      expect(one(secret.report, 'keys.valid').message).toContain('WOO_CONSUMER_SECRET is not the secret of WOO_CONSUMER_KEY');
      const key = await check(envFor(sandbox, { WOO_CONSUMER_KEY: `ck_${'0'.repeat(40)}` }));
      expect(one(key.report, 'keys.valid').message).toContain('does not know WOO_CONSUMER_KEY');
      expect(key.stdout).not.toContain('0'.repeat(40));

      const writeOnly = await shop({ keyPermissions: 'write' });
      const w = await check(envFor(writeOnly));
      expect(w.code).toBe(2);
      expect(one(w.report, 'keys.permission')).toMatchObject({ level: 'fatal', message: expect.stringContaining('Write-only') });
    });

    it('when the keys are Read-only, then that is enough unless writeBackNewCodes needs Read/Write', async () => {
      const sandbox = await shop({ keyPermissions: 'read' });
      const off = await check(envFor(sandbox));
      expect(one(off.report, 'keys.permission')).toMatchObject({ level: 'ok', message: expect.stringContaining('Read-only') });
      expect(off.code).toBe(0);

      await settingsSet('writeBackNewCodes', true);
      try {
        const on = await check(envFor(sandbox));
        expect(on.code).toBe(1);
        expect(one(on.report, 'keys.permission')).toMatchObject({ level: 'fail', fix: expect.stringContaining('Read/Write') });
      } finally {
        await settingsSet('writeBackNewCodes', false);
      }
    });

    it('when a tax rate of the store has no T-code, then it is listed as one whose orders would be held; a mapping to a Sage code of another rate too', async () => {
      const sandbox = await shop({
        site: {
          taxRates: [
            ...DEFAULT_TAX_RATES,
            { id: 7, country: 'IE', rate: '23.0000', name: 'Irish VAT &amp; more', className: 'standard', shipping: true },
          ],
        },
      });
      const unmapped = await check(envFor(sandbox));
      expect(unmapped.code).toBe(1);
      const rate7 = byId(unmapped.report, 'tax.rate').find((f) => f.level === 'fail')!;
      expect(rate7.message).toBe(
        'tax rate 7 "Irish VAT & more" 23% (IE, class standard) has no Sage tax code: orders taxed at it would be held',
      );
      expect(rate7.fix).toContain('add "7": <T-code> to taxCodes.byRateId');

      await settingsSet('taxCodes', { byRateId: { '7': 1 }, byPercent: { '20': 1, '5': 5, '0': 0 } });
      try {
        const mismatch = await check(envFor(sandbox));
        const wrong = byId(mismatch.report, 'tax.rate').filter((f) => f.level === 'fail');
        expect(wrong).toHaveLength(1);
        expect(wrong[0]!.message).toContain('WooCommerce charged 23');
        expect(wrong[0]!.message).toContain('T1, whose Sage rate is 20%');
      } finally {
        await settingsSet('taxCodes', { byPercent: { '20': 1, '5': 5, '0': 0 } });
      }
    });

    it('when payment gateways share the default bank account, then each is a warning until payments.byMethod maps it; a mapped id the store lacks is named', async () => {
      const sandbox = await shop();
      const before = await check(envFor(sandbox));
      const warned = byId(before.report, 'payment.gateway').filter((f) => f.level === 'warn');
      expect(warned.map((f) => f.message.split(' ')[2])).toEqual(['stripe', 'ppcp-gateway', 'bacs', 'cod']);
      expect(before.report.findings.some((f) => f.message.includes('cheque'))).toBe(false);

      await settingsSet('payments', { byMethod: { stripe: '1210', 'ppcp-gateway': '1220', bacs: '1200', cod: '1230', strpe: '1210' } });
      try {
        const after = await check(envFor(sandbox));
        const gateways = byId(after.report, 'payment.gateway');
        expect(gateways.filter((f) => f.level === 'ok').map((f) => f.message.split('→ ')[1])).toEqual([
          'bank account 1210',
          'bank account 1220',
          'bank account 1200',
          'bank account 1230',
        ]);
        expect(gateways.filter((f) => f.level === 'warn').map((f) => f.message)).toEqual([
          'payments.byMethod names "strpe", which is not a payment gateway of the store',
        ]);
      } finally {
        await settingsSet('payments', {});
      }
    });

    it('when the shop’s settings are risky, then each is named: a fixed-offset timezone, another currency, taxes off, prices with tax, rounding at subtotal', async () => {
      const sandbox = await shop({
        site: { timezoneString: '', gmtOffset: 0, currency: 'EUR', calcTaxes: false, pricesIncludeTax: true, roundAtSubtotal: true },
      });
      const { code, report } = await check(envFor(sandbox));
      expect(code).toBe(0);
      expect(one(report, 'store.timezone')).toMatchObject({ level: 'warn', message: expect.stringContaining('fixed offset UTC+0') });
      expect(one(report, 'store.currency')).toMatchObject({ level: 'warn', message: expect.stringContaining('EUR') });
      expect(one(report, 'store.taxes')).toMatchObject({ level: 'warn', message: expect.stringContaining('T9') });
      expect(one(report, 'store.prices-include-tax').message).toContain('including tax');
      expect(one(report, 'store.tax-rounding').message).toContain('subtotal');
    });

    it('when WooCommerce is too old or not active, then that is named', async () => {
      const old = await check(envFor(await shop({ site: { wcVersion: '5.6.1' } })));
      expect(old.code).toBe(1);
      expect(one(old.report, 'woo.version')).toMatchObject({ level: 'fail', fix: 'update WooCommerce to 5.8 or newer' });
      const inactive = await check(envFor(await shop({ site: { woocommerceActive: false } })));
      expect(inactive.code).toBe(2);
      expect(one(inactive.report, 'woo.rest-api').level).toBe('fatal');
    });

    it('when the store cannot be reached, then one line says so at once, without retries or log lines', async () => {
      const port = await freePort();
      const started = Date.now();
      const run = await runWooSage(['check'], {
        DATABASE_URL: ctx().url,
        WOO_URL: `http://127.0.0.1:${port}`,
        WOO_CONSUMER_KEY: 'ck_x',
        WOO_CONSUMER_SECRET: 'cs_y',
      });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('');
      const fatal = run.stdout.split('\n').filter((l) => l.startsWith('FATAL'));
      expect(fatal).toEqual([
        expect.stringMatching(/^FATAL {2}the store at http:\/\/127\.0\.0\.1:\d+ cannot be reached: connection refused/),
      ]);
    });

    it('when the store is not configured, then the missing variables are named (exit 2)', async () => {
      const { code, report } = await check({ DATABASE_URL: ctx().url, LOG_LEVEL: 'silent' });
      expect(code).toBe(2);
      expect(one(report, 'config.store').message).toBe(
        'WOO_URL, WOO_CONSUMER_KEY, WOO_CONSUMER_SECRET are not set, so the store cannot be checked',
      );
      expect(report.store).toBeNull();
    });

    it('when a variable is malformed, then --json still prints one object naming it, without its secret value', async () => {
      const { code, report, stderr } = await check({
        DATABASE_URL: ctx().url,
        WOO_URL: 'shop.example.com',
        WOO_CONSUMER_KEY: 'ck_1234',
        WOO_CONSUMER_SECRET: 'cs_5678',
        PORT: 'eighty',
      });
      expect(code).toBe(2);
      expect(stderr).toBe('');
      expect(report.findings.map((f) => [f.id, f.level, f.message.split(':')[0]])).toEqual([
        ['config', 'fatal', 'WOO_URL'],
        ['config', 'fatal', 'PORT'],
      ]);
      expect(JSON.stringify(report)).not.toContain('cs_5678');
    });
  },
  { sageAccountsKnown: false },
);
