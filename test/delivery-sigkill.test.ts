import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { fixedClock } from '../src/domain/clock.ts';
import { deliverToFolder } from '../src/pipeline/deliver-to-folder.ts';
import { Rng } from '../src/sandbox/random.ts';
import { documentIds, newAccountFor, outboxFiles, queue, seedOrder, tempOutbox } from './helpers/outbox.ts';
import { scenarioSeeds } from './helpers/seeds.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const CHILD = path.join(import.meta.dirname, 'fixtures', 'deliver-child.ts');
const FINAL_NAME = /^\d{8}-\d{8}T\d{6}Z-(customers|sales-orders)\.xml$/;
const [SEED] = scenarioSeeds('WOO_SAGE_DELIVERY_KILL_SEED', { fixed: [], fresh: 1, heavy: 1 });
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** Runs the delivering child and SIGKILLs it once it has announced `after` steps. */
function runAndKill(url: string, outboxDir: string, after: number, start: Date): Promise<{ steps: string[]; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, url, outboxDir, 'child', start.toISOString()], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const steps: string[] = [];
    let killed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        steps.push(line);
        if (steps.length >= after && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('error', reject);
    child.on('exit', () => resolve({ steps, killed }));
  });
}

describeEachDialect('delivery killed with SIGKILL', (ctx) => {
  it(`when the delivering process is killed mid-run (seed ${SEED}, replay with WOO_SAGE_DELIVERY_KILL_SEED=${SEED}), then after a restart every document is in the outbox exactly once and no partial file is visible`, async () => {
    const { db, url } = ctx();
    const dir = tempOutbox();
    dirs.push(dir);
    const expected = new Set<string>();
    for (let i = 0; i < 24; i += 1) {
      const o = await seedOrder(db);
      const fresh = i % 3 === 0;
      await queue(db, o, fresh ? `KILL${i}` : 'WEBSALES', fresh ? newAccountFor(o.order, `KILL${i}`) : null);
      expected.add(`S:${o.orderId}`);
      if (fresh) expected.add(`C:guest-${o.order.billing.email}`);
    }
    // Kill somewhere in the middle of the run: after 6 to 40 announced steps.
    const { steps, killed } = await runAndKill(url, dir, new Rng(SEED!).int(6, 40), new Date('2026-11-23T10:16:00Z'));
    expect(killed).toBe(true);
    expect(steps).not.toContain('done');
    for (const name of outboxFiles(dir)) expect(name).toMatch(FINAL_NAME);

    const report = await deliverToFolder(db, { outboxDir: dir, clock: fixedClock('2026-11-23T12:00:00Z'), workerId: 'restarted' });
    expect(report.errors).toEqual([]);
    const seen = new Map<string, number>();
    for (const name of outboxFiles(dir)) {
      expect(name).toMatch(FINAL_NAME);
      const ids = documentIds(fs.readFileSync(path.join(dir, name), 'utf8'));
      for (const id of [...ids.customers.map((c) => `C:${c}`), ...ids.salesOrders.map((s) => `S:${s}`)])
        seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    expect(new Set(seen.keys())).toEqual(expected);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect((await db('export_jobs').whereNot('state', 'delivered')).length).toBe(0);
    // A customer's file never sorts after the sales orders that need it.
    const names = outboxFiles(dir);
    for (const [i, name] of names.entries()) {
      const ids = documentIds(fs.readFileSync(path.join(dir, name), 'utf8'));
      for (const c of ids.customers) {
        const dependent = [...expected].filter((e) => e === `C:${c}`);
        expect(dependent).toHaveLength(1);
        const job = await db('export_jobs').where({ document_id: c, kind: 'customer' }).first();
        const orderJob = await db('export_jobs').where({ depends_on_job_id: job.id }).first();
        const orderFile = names.findIndex((n) =>
          documentIds(fs.readFileSync(path.join(dir, n), 'utf8')).salesOrders.includes(String(orderJob.order_id)),
        );
        expect(orderFile).toBeGreaterThan(i);
      }
    }
  });
});
