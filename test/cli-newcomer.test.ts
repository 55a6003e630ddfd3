import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { freePort } from './helpers/free-port.ts';
import { startWooSage } from './helpers/child-cli.ts';
import { WOO_SAGE_ARGS } from './helpers/cli-entry.ts';
import { mysqlMissing } from './helpers/skip-with-reason.ts';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.ts';

const run = promisify(execFile);

/** Runs the real bin and answers its exit status and both streams, whatever the status. */
async function bin(args: string[], env: Record<string, string>, cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...WOO_SAGE_ARGS, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      cwd,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-newcomer-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('woo-sage --version', () => {
  it('when asked for its version, then it prints the package version on one line and exits 0', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string };
    const result = await bin(['--version'], {});
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('a DATABASE_URL that cannot be used', () => {
  it('when MySQL does not answer at the address, then it is one line naming DATABASE_URL, exit 2, no stack trace and nothing on stdout', async () => {
    const port = await freePort();
    const result = await bin(['settings', 'get'], { DATABASE_URL: `mysql://woo:s3cret-pw@127.0.0.1:${port}/woo_sage` });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `DATABASE_URL: nothing answers at 127.0.0.1:${port} (connection refused); is MySQL/MariaDB running there? (got "mysql://woo:***@127.0.0.1:${port}/woo_sage")\n`,
    );
  });

  it('when the SQLite file is under a folder that does not exist, then it says so (exit 2) and creates no folder', async () => {
    const missing = path.join(tmp, 'no', 'such', 'folder');
    const result = await bin(['settings', 'get'], { DATABASE_URL: `sqlite:${missing}/woo-sage.sqlite` });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `DATABASE_URL: the folder ${missing} does not exist; create it first or choose another path for the SQLite file (got "sqlite:${missing}/woo-sage.sqlite")\n`,
    );
    expect(fs.existsSync(path.join(tmp, 'no'))).toBe(false);
  });

  it('when DATABASE_URL is not set, then the default ./data folder is created and the embedded database works', async () => {
    const cwd = fs.mkdtempSync(path.join(tmp, 'fresh-clone-'));
    const result = await bin(['migrate', '--json'], {}, cwd);
    expect(result.code).toBe(0);
    expect(fs.existsSync(path.join(cwd, 'data', 'woo-sage.sqlite'))).toBe(true);
  });

  it('when the MySQL database named does not exist, then it says so in one line (exit 2)', async (ctx) => {
    if (mysqlMissing()) ctx.skip(mysqlMissing());
    const url = new URL(process.env.MYSQL_TEST_URL!);
    url.pathname = '/ws_no_such_database_here';
    const result = await bin(['settings', 'get'], { DATABASE_URL: url.toString() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^DATABASE_URL: the database does not exist on the server \(Unknown database 'ws_no_such_database_here'\)/,
    );
  });
});

describe('log lines of a command', () => {
  let sandbox: Sandbox;
  let database: TestDatabase;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 7, orders: 5, customers: 3, startAt: '2026-01-05T08:00:00Z', secondsPerOrder: 60 });
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await sandbox.close();
    await database.destroy();
  });
  const env = (format: string) => ({
    DATABASE_URL: database.url,
    OUTBOX_DIR: path.join(tmp, 'outbox'),
    WOO_URL: sandbox.url,
    WOO_CONSUMER_KEY: sandbox.consumerKey,
    WOO_CONSUMER_SECRET: sandbox.consumerSecret,
    LOG_FORMAT: format,
  });

  it('when LOG_FORMAT=text and the store fails a request, then the retry is a line in plain words, not JSON', async () => {
    sandbox.faults.clear();
    sandbox.faults.inject({ fault: { kind: 'status', status: 503 }, match: { resource: 'orders' }, times: 1 });
    const result = await bin(['sync', '--since', '2026-01-01'], env('text'));
    expect(result.code).toBe(0);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines.some((l) => l.trimStart().startsWith('{'))).toBe(false);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^\d\d:\d\d:\d\d warning: store request failed; retrying — GET orders, attempt 1 of \d+, HTTP 503.*, next try in \d+\.\d s$/,
      ),
    );
  });

  it('when stderr is not a terminal (LOG_FORMAT unset), then log lines stay JSON for machines', async () => {
    sandbox.faults.clear();
    sandbox.faults.inject({ fault: { kind: 'status', status: 503 }, match: { resource: 'orders' }, times: 1 });
    const { LOG_FORMAT: _unset, ...rest } = env('auto');
    const result = await bin(['sync', '--since', '2026-01-01'], rest);
    expect(result.code).toBe(0);
    const retry = result.stderr.split('\n').find((l) => l.includes('retrying'));
    expect(JSON.parse(retry!)).toMatchObject({ level: 40, msg: 'store request failed; retrying', endpoint: 'GET orders', attempt: 1 });
  });

  it('when LOG_FORMAT is not a known format, then it is one line naming the variable (exit 2)', async () => {
    const child = startWooSage(['settings', 'get'], { DATABASE_URL: database.url, LOG_FORMAT: 'pretty' });
    const done = await child.done;
    expect(done.code).toBe(2);
    expect(done.stderr).toBe('LOG_FORMAT: expected auto, json or text (got "pretty")\n');
  });
});
