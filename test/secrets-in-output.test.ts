import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import knex from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../src/db/database-url.ts';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { runWooSageChild, startWooSage, type ChildCli, type ChildRun } from './helpers/child-cli.ts';
import { freePort } from './helpers/free-port.ts';
import { tempOutbox } from './helpers/outbox.ts';
import { sandboxClient } from './helpers/woo.ts';
import { describeEachDialect, type TestDatabase } from './helpers/test-db.ts';

/**
 * Secrets never reach what woo-sage prints or logs. Real child processes run with LOG_LEVEL=trace
 * through a sync against a store that misbehaves in the ways that tend to leak: refusing the keys,
 * echoing the request (with its keys) in an error or in front of the JSON, Link headers that
 * repeat the query, a wrong database password; and `serve` with ADMIN_PASSWORD, sign-ins and an
 * API token. Everything they write to stdout and stderr is scanned for every secret.
 */
const KEY = `ck_${randomBytes(20).toString('hex')}`;
const SECRET = `cs_${randomBytes(20).toString('hex')}`;
const WRONG_SECRET = `cs_${randomBytes(20).toString('hex')}`;
const ADMIN_PASSWORD = `Adm1n-${randomBytes(12).toString('hex')}`;
const DB_PASSWORD = `Db-${randomBytes(12).toString('hex')}`;

let sandbox: Sandbox;
const outboxes: string[] = [];
beforeAll(async () => {
  sandbox = await startSandbox({
    seed: 91,
    orders: 150,
    customers: 60,
    consumerKey: KEY,
    consumerSecret: SECRET,
    startAt: '2026-01-05T08:00:00Z',
  });
});
afterAll(async () => {
  await sandbox.close();
  outboxes.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
});

/** The database URL the children use: on MariaDB a user of its own with a password. */
async function withPasswordUser(database: TestDatabase): Promise<{ url: string; drop(): Promise<void> }> {
  if (database.dialect === 'sqlite') return { url: database.url, drop: async () => undefined };
  const server = parseDatabaseUrl(process.env.MYSQL_TEST_URL!);
  if (server.dialect !== 'mysql') throw new Error('MYSQL_TEST_URL must be a mysql:// URL');
  const admin = knex({
    client: 'mysql2',
    connection: { host: server.host, port: server.port, user: server.user, password: server.password },
  });
  const user = `ws_sec_${randomBytes(4).toString('hex')}`;
  const name = new URL(database.url).pathname.slice(1);
  await admin.raw('CREATE USER ??@? IDENTIFIED BY ?', [user, '%', DB_PASSWORD]);
  await admin.raw('GRANT ALL PRIVILEGES ON ??.* TO ??@?', [name, user, '%']);
  const url = new URL(database.url);
  url.username = user;
  url.password = DB_PASSWORD;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.raw('DROP USER IF EXISTS ??@?', [user, '%']);
      await admin.destroy();
    },
  };
}

function leaks(runs: ChildRun[], secrets: string[]): string[] {
  const everything = runs.map((r) => `${r.stdout}\n${r.stderr}`).join('\n');
  return secrets.filter((s) => everything.includes(s)).map((s) => `${s.slice(0, 6)}… (${everything.split(s).length - 1} times)`);
}

describe('the preview of an answer that is not JSON', () => {
  it('when a plugin prints the request, keys and all, in front of the JSON, then the error quoting the answer shows no part of a key', async () => {
    const { client } = sandboxClient(sandbox, { retry: { attempts: 2 } });
    const echoed = `GET /wp-json/wc/v3/orders?consumer_key=${KEY}&consumer_secret=${SECRET}\n[]`;
    sandbox.faults.inject({ fault: { kind: 'status', status: 200, body: echoed }, match: { resource: 'orders' }, times: 2 });
    const err = (await client
      .fetchOrdersPage({ modifiedAfter: new Date('2026-01-01'), orderby: 'modified', page: 1, perPage: 10 })
      .catch((e: unknown) => e)) as Error;
    sandbox.faults.clear();
    expect(err.message).toMatch(/is not JSON .*starting "GET \/wp-json\/wc\/v3\/orders\?consumer_key=\[redacted\]/);
    for (const part of [KEY.slice(0, 8), SECRET.slice(0, 8)]) expect(err.message).not.toContain(part);
  });
});

describeEachDialect('secrets in everything woo-sage prints and logs', (ctx) => {
  let dbUser: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    dbUser = await withPasswordUser(ctx());
  });
  afterAll(async () => {
    await dbUser?.drop();
  });

  const env = (extra: Record<string, string> = {}) => {
    const outbox = tempOutbox();
    outboxes.push(outbox);
    return {
      LOG_LEVEL: 'trace',
      DATABASE_URL: dbUser.url,
      OUTBOX_DIR: outbox,
      WOO_URL: sandbox.url,
      WOO_CONSUMER_KEY: KEY,
      WOO_CONSUMER_SECRET: SECRET,
      ADMIN_PASSWORD,
      ...extra,
    };
  };
  const secrets = () => [KEY, SECRET, WRONG_SECRET, ADMIN_PASSWORD, ...(ctx().dialect === 'mysql' ? [DB_PASSWORD] : [])];
  const echoed = `/wp-json/wc/v3/orders?consumer_key=${KEY}&consumer_secret=${SECRET}`;

  it('when syncs meet refused keys, stores that echo the request with its keys, Link headers and a wrong database password, then no secret is printed or logged, even at trace level', async () => {
    const runs: ChildRun[] = [];
    // A clean first run: Link headers (repeating the signed query) on every page, debug and trace lines.
    runs.push(await runWooSageChild(['sync', '--since', '2026-01-01', '--json'], env()));
    expect(runs[0]!.code, runs[0]!.stderr).toBe(0);
    expect(runs[0]!.stderr).toContain('"level":20');

    sandbox.store.createOrder();
    runs.push(await runWooSageChild(['sync'], env({ WOO_CONSUMER_SECRET: WRONG_SECRET })));
    expect(runs.at(-1)!.stderr).toContain('refused our API keys');

    // A security plugin's error quotes the request, keys and all: in a retried error (the warning
    // logged before the retry) and in a refusal (the run's error).
    const quote = { code: 'blocked', message: `Request GET ${echoed} was blocked` };
    sandbox.faults.inject({ fault: { kind: 'status', status: 503, body: quote }, match: { resource: 'orders' }, times: 1 });
    runs.push(await runWooSageChild(['sync', '--json'], env()));
    expect(runs.at(-1)!.code, runs.at(-1)!.stderr).toBe(0);
    expect(runs.at(-1)!.stderr).toContain('store request failed; retrying');
    sandbox.faults.clear();
    sandbox.faults.inject({ fault: { kind: 'status', status: 400, body: quote }, match: { resource: 'orders' }, times: 1 });
    runs.push(await runWooSageChild(['sync', '--json'], env()));
    expect(runs.at(-1)!.stderr).toContain('sync failed: the store rejected GET orders (HTTP 400 blocked: Request GET');
    sandbox.faults.clear();
    // The database refuses a wrong password; the URL is only ever shown without it.
    if (ctx().dialect === 'mysql') {
      const wrong = new URL(dbUser.url);
      wrong.password = `${DB_PASSWORD}-wrong`;
      runs.push(await runWooSageChild(['sync'], env({ DATABASE_URL: wrong.toString() })));
      expect(runs.at(-1)!.code).not.toBe(0);
      expect(runs.at(-1)!.stderr).toContain('Access denied');
      runs.push(await runWooSageChild(['migrate'], env()));
      expect(runs.at(-1)!.stdout).toContain('database: mysql://');
    }
    // A store address with the keys written into it, mistyped, is reported without them.
    runs.push(await runWooSageChild(['sync'], env({ WOO_URL: `htps://${KEY}:${SECRET}@shop.example.com` })));
    expect(runs.at(-1)!.code).toBe(2);
    expect(runs.at(-1)!.stderr).toContain('WOO_URL');

    expect(leaks(runs, secrets())).toEqual([]);
    expect(leaks(runs, [`${DB_PASSWORD}-wrong`])).toEqual([]);
  }, 90_000);

  it('when serve runs with ADMIN_PASSWORD and is used (sign-ins right and wrong, a session, an API token), then no password, cookie or token is printed or logged', async () => {
    const child = startWooSage(['serve'], env({ PORT: String(await freePort()) }));
    const issued: string[] = [];
    try {
      const url = await until(child, /listening on (http:\/\/[A-Za-z0-9.:-]+)/);
      const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
        fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      expect((await post('/api/login', { username: 'admin', password: `${ADMIN_PASSWORD}x` })).status).toBe(401);
      const login = await post('/api/login', { username: 'admin', password: ADMIN_PASSWORD });
      expect(login.status).toBe(200);
      const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
      issued.push(cookie.slice(cookie.indexOf('=') + 1));
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      issued.push(csrfToken);
      const token = await post('/api/tokens', { username: 'admin', name: 'scan' }, { cookie, 'x-csrf-token': csrfToken });
      expect(token.status).toBe(201);
      const { secret } = (await token.json()) as { secret: string };
      issued.push(secret);
      expect((await fetch(`${url}/api/me?token=${secret}`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
    } finally {
      child.stop();
    }
    const run = await child.done;
    // The sign-ins, the token and every request were logged: there was something to leak.
    expect(run.stderr).toContain('signed in');
    expect(run.stderr).toContain('sign-in refused');
    expect(run.stderr).toContain('"path":"/api/me"');
    expect(leaks([run], [...secrets(), ...issued])).toEqual([]);
  }, 60_000);
});

/** Waits until the running child has written a line matching `pattern`; returns its first group. */
async function until(child: ChildCli, pattern: RegExp, ms = 30_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const match = pattern.exec(child.output());
    if (match) return match[1]!;
    if (child.ended || Date.now() > end) throw new Error(`the child never wrote ${pattern}: ${child.output().slice(-500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
