import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { updateSettings } from '../src/settings/store.ts';
import { WOO_SAGE_ARGS } from './helpers/cli-entry.ts';
import { freePort } from './helpers/free-port.ts';
import { documentIds, outboxFiles, tempOutbox } from './helpers/outbox.ts';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.ts';
import { describeWhenAvailable, mysqlMissing } from './helpers/skip-with-reason.ts';

/**
 * Several `serve` processes on one MariaDB: one polls at a time under the sync lease, all deliver.
 * The poller is killed with SIGKILL mid-run; another takes over once its lease expires. In the end
 * every exportable order has exactly one sales order in the outbox, and no file is partial.
 * SQLite is single-process by design, so this runs on MariaDB only.
 */
// 10,000 orders with WOO_SAGE_HEAVY=1 (as the issue asks); fewer in the everyday suite.
const ORDERS = Number(process.env.WOO_SAGE_MULTI_ORDERS ?? (process.env.WOO_SAGE_HEAVY ? 10_000 : 2_000));
const LEASE_SECONDS = 5;

describeWhenAvailable(mysqlMissing(), 'three serve processes on one MariaDB', () => {
  let database: TestDatabase;
  let sandbox: Sandbox;
  let outbox: string;
  const children: ChildProcess[] = [];
  const logs = new Map<ChildProcess, string>();

  beforeAll(async () => {
    database = await createTestDatabase('mysql');
    sandbox = await startSandbox({ orders: ORDERS, seed: 7, startAt: '2026-06-01T00:00:00Z', secondsPerOrder: 20 });
    await updateSettings(database.db, { settleMinutes: 0, pollSchedule: '* * * * * *' }, 'test');
    outbox = tempOutbox();
  }, 120_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await sandbox?.close();
    await database?.destroy();
    fs.rmSync(outbox, { recursive: true, force: true });
  });

  async function startInstance(): Promise<ChildProcess> {
    const child = spawn(process.execPath, [...WOO_SAGE_ARGS, 'serve', '--since', '2026-01-01'], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: database.url,
        OUTBOX_DIR: outbox,
        PORT: String(await freePort()),
        WOO_URL: sandbox.url,
        WOO_CONSUMER_KEY: sandbox.consumerKey,
        WOO_CONSUMER_SECRET: sandbox.consumerSecret,
        SYNC_LEASE_SECONDS: String(LEASE_SECONDS),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    logs.set(child, '');
    const keep = (d: Buffer) => logs.set(child, (logs.get(child)! + d.toString()).slice(-20_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    children.push(child);
    return child;
  }

  async function leaseHolderPid(): Promise<number | undefined> {
    const row = await database.db('sync_state').where({ name: 'lease.sync' }).first('lease_owner');
    const pid = row?.lease_owner ? Number(String(row.lease_owner).split(':')[1]) : NaN;
    return Number.isFinite(pid) ? pid : undefined;
  }

  async function counts() {
    const db = database.db;
    const rows = (await db('orders').select('state').count({ n: '*' }).groupBy('state')) as Array<{ state: string; n: number | string }>;
    const byState: Record<string, number> = Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    const pendingJobs = await db('export_jobs').whereIn('state', ['queued', 'claimed']).count({ n: '*' }).first();
    return { byState, pendingJobs: Number(pendingJobs?.n), total: Object.values(byState).reduce((a, b) => a + b, 0) };
  }

  it(
    'when the poller is killed mid-run, then another takes over and every order is delivered exactly once',
    async () => {
      for (let n = 0; n < 3; n++) await startInstance();

      // Kill whichever instance holds the sync lease once it has stored some orders but not all.
      let killed: number | undefined;
      const deadline = Date.now() + 10 * 60_000;
      while (Date.now() < deadline) {
        const alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
        if (alive.length === 0) throw new Error(`every instance exited:\n${[...logs.values()].join('\n---\n')}`);
        const { total } = await counts();
        const holder = await leaseHolderPid();
        if (killed === undefined && holder && total > 0 && total < ORDERS) {
          const victim = children.find((c) => c.pid === holder);
          if (victim) {
            victim.kill('SIGKILL');
            killed = holder;
          }
        }
        const now = await counts();
        const settled =
          now.total === ORDERS && now.pendingJobs === 0 && (now.byState.queued ?? 0) === 0 && (now.byState.allocated ?? 0) === 0;
        const waitingToSettle = await database
          .db('orders')
          .where({ state: 'waiting' })
          .whereIn('status', ['processing', 'completed'])
          .count({ n: '*' })
          .first();
        if (settled && Number(waitingToSettle?.n) === 0) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(killed, 'the poller was killed mid-run').toBeDefined();
      const final = await counts();
      expect(final.total, JSON.stringify(final)).toBe(ORDERS);
      expect(final.pendingJobs).toBe(0);

      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.all(
        children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => c.once('exit', r)))),
      );

      // Every file is complete XML; every delivered sales order is in exactly one of them.
      const seen = new Map<string, number>();
      const files = outboxFiles(outbox);
      for (const file of files) {
        expect(file).toMatch(/^\d{8}-\d{8}T\d{6}Z-(customers|sales-orders)\.xml$/);
        for (const id of documentIds(fs.readFileSync(path.join(outbox, file), 'utf8')).salesOrders) seen.set(id, (seen.get(id) ?? 0) + 1);
      }
      const doubled = [...seen].filter(([, n]) => n > 1);
      expect(doubled).toEqual([]);
      const delivered = await database.db('export_jobs').where({ kind: 'sales_order', state: 'delivered' }).pluck('order_id');
      expect(new Set(seen.keys())).toEqual(new Set(delivered.map(String)));
      expect(delivered.length).toBe(final.byState.delivered);
      expect(delivered.length).toBeGreaterThan(ORDERS * 0.5);
    },
    15 * 60_000,
  );
});
