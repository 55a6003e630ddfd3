import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { WOO_SAGE_ARGS } from './helpers/cli-entry.ts';
import { runWooSage } from './helpers/cli.ts';
import { resetInbox, resetPipeline } from './helpers/sync.ts';
import { describeEachDialect } from './helpers/test-db.ts';

let sandbox: Sandbox;
// sync and demo deliver to OUTBOX_DIR: never the working copy's ./outbox.
const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-sync-outbox-'));

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 51, orders: 140, startAt: '2026-01-05T08:00:00Z', secondsPerOrder: 40 });
});
afterAll(async () => {
  await sandbox.close();
  fs.rmSync(outboxDir, { recursive: true, force: true });
});

describe('woo-sage help', () => {
  it('when run as a process with --help, then sync and demo are listed', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [...WOO_SAGE_ARGS, '--help']);
    expect(stdout).toMatch(/\bsync\b/);
    expect(stdout).toMatch(/\bdemo\b/);
  });
});

describeEachDialect('woo-sage sync and demo', (ctx) => {
  const env = () => ({
    LOG_LEVEL: 'silent',
    DATABASE_URL: ctx().url,
    OUTBOX_DIR: outboxDir,
    WOO_URL: sandbox.url,
    WOO_CONSUMER_KEY: sandbox.consumerKey,
    WOO_CONSUMER_SECRET: sandbox.consumerSecret,
  });

  beforeEach(async () => {
    await resetInbox(ctx().db);
  });

  it('when sync runs with --since and --json, then it prints one JSON summary and exits 0; the next run continues from the cursor', async () => {
    const first = await runWooSage(['sync', '--since', '2026-01-01', '--json'], env());
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({ ok: true, orders: { seen: 140, new: 140 }, pages: 2, cursor: { from: '2026-01-01T00:00:00.000Z' } });
    expect(summary.storeRequests).toBeGreaterThanOrEqual(3);
    const second = await runWooSage(['sync'], env());
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/orders seen \d+: new 0, changed 0, unchanged \d+/);
  });

  it('when sync delivers Sage XML, then its summary names OUTBOX_DIR and the files written there', async () => {
    await resetPipeline(ctx().db);
    const { code, stdout } = await runWooSage(['sync', '--since', '2026-01-01'], env());
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    const heading = lines.findIndex((l) => l.startsWith('  Sage XML: '));
    const count = Number(/^ {2}Sage XML: (\d+) file\(s\) written to (.+):$/.exec(lines[heading] ?? '')?.[1]);
    expect(lines[heading]).toBe(`  Sage XML: ${count} file(s) written to ${path.resolve(outboxDir)}:`);
    expect(count).toBeGreaterThan(0);
    const listed = lines.slice(heading + 1, heading + 1 + count).map((l) => l.trim());
    for (const name of listed) expect(fs.existsSync(path.join(outboxDir, name))).toBe(true);
    expect(listed.some((name) => name.endsWith('-sales-orders.xml'))).toBe(true);
  });

  it('when the first sync has no --since, or --since is not a date, then it exits 2 and says what to pass', async () => {
    const first = await runWooSage(['sync'], env());
    expect(first.code).toBe(2);
    expect(first.stderr).toContain('--since DATE');
    const bad = await runWooSage(['sync', '--since', 'last tuesday'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since: expected a date such as 2026-01-31');
  });

  it('when the keys are wrong, then it exits 1 saying the keys were refused, never showing them', async () => {
    const run = await runWooSage(['sync', '--since', '2026-01-01'], { ...env(), WOO_CONSUMER_SECRET: 'cs_secret_that_is_wrong' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^sync failed: the store refused our API keys for GET orders \(HTTP 401/);
    expect(`${run.stdout}${run.stderr}`).not.toContain('cs_secret_that_is_wrong');
    expect(`${run.stdout}${run.stderr}`).not.toContain(sandbox.consumerKey);
  });

  it('when the store is not configured, then it exits 2 naming the variables', async () => {
    const run = await runWooSage(['sync', '--since', '2026-01-01'], {
      LOG_LEVEL: 'silent',
      DATABASE_URL: ctx().url,
      OUTBOX_DIR: outboxDir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('WOO_URL: required');
  });

  it('when the demo runs with --no-serve, then it syncs the sandbox shop, prints the summary and exits 0; a second demo finds nothing new', async () => {
    const first = await runWooSage(['demo', '--no-serve', '--orders', '120'], {
      LOG_LEVEL: 'silent',
      DATABASE_URL: ctx().url,
      OUTBOX_DIR: outboxDir,
    });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/sandbox store: http:\/\/127\.0\.0\.1:\d+ \(120 orders/);
    expect(first.stdout).toMatch(/Sage customer export of the matching accounts: .*sage-accounts\.xml/);
    expect(first.stdout).toContain('orders seen 120: new 120');
    const again = await runWooSage(['demo', '--no-serve', '--orders', '120'], {
      LOG_LEVEL: 'silent',
      DATABASE_URL: ctx().url,
      OUTBOX_DIR: outboxDir,
    });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('orders seen 120: new 0, changed 0, unchanged 120');
  });

  it('when the demo meets a database of a real store, then it refuses (exit 2) instead of mixing shops', async () => {
    expect((await runWooSage(['sync', '--since', '2026-01-01'], env())).code).toBe(0);
    const demo = await runWooSage(['demo', '--no-serve'], { LOG_LEVEL: 'silent', DATABASE_URL: ctx().url, OUTBOX_DIR: outboxDir });
    expect(demo.code).toBe(2);
    expect(demo.stderr).toContain('use a separate DATABASE_URL for each store');
  });
});
