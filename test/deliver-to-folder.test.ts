import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { afterEach, expect, it } from 'vitest';
import { deliverToFolder, type DeliveryStep } from '../src/pipeline/deliver-to-folder.ts';
import { STAGING_DIR } from '../src/pipeline/outbox-files.ts';
import { documentIds, newAccountFor, outboxesRemovedAfterEach, outboxFiles, queue, seedOrder, testClock } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const outbox = outboxesRemovedAfterEach();

/** Every document Id in the files, with how many times it appears. */
function deliveredIds(files: Array<{ name: string; xml: string }>): Map<string, number> {
  const seen = new Map<string, number>();
  for (const file of files) {
    const ids = documentIds(file.xml);
    for (const id of [...ids.customers.map((c) => `C:${c}`), ...ids.salesOrders.map((s) => `S:${s}`)])
      seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  return seen;
}

const read = (dir: string) => outboxFiles(dir).map((name) => ({ name, xml: fs.readFileSync(path.join(dir, name), 'utf8') }));

describeEachDialect('deliverToFolder', (ctx) => {
  afterEach(async () => {
    // Each test starts from an empty queue.
    await ctx().db('export_jobs').delete();
    await ctx().db('export_batches').delete();
  });

  it('when the staging folder is a symbolic link, then nothing is written through it and the delivery error says why', async () => {
    const { db } = ctx();
    const dir = outbox();
    const elsewhere = outbox();
    fs.symlinkSync(elsewhere, path.join(dir, STAGING_DIR));
    await queue(db, await seedOrder(db), 'WEBSALES');
    const report = await deliverToFolder(db, { outboxDir: dir, clock: testClock() });
    expect(report.documents).toBe(0);
    expect(report.errors[0]!.message).toMatch(/\.woo-sage-staging is a symbolic link; refusing to write through it/);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
    expect(outboxFiles(dir)).toEqual([]);
    expect((await db('export_jobs')).map((j) => j.state)).toEqual(['queued']);
  });

  it('when documents are delivered into a new outbox, then files are 0640 and folders 0750, or the modes configured', async () => {
    const { db } = ctx();
    const mode = (p: string) => fs.statSync(p).mode & 0o777;
    const fresh = path.join(outbox(), 'new-outbox');
    await queue(db, await seedOrder(db), 'WEBSALES');
    expect((await deliverToFolder(db, { outboxDir: fresh, clock: testClock() })).documents).toBe(1);
    expect(mode(fresh)).toBe(0o750);
    expect(mode(path.join(fresh, STAGING_DIR))).toBe(0o750);
    expect(outboxFiles(fresh).map((f) => mode(path.join(fresh, f)))).toEqual([0o640]);

    const widened = path.join(outbox(), 'shared-outbox');
    await queue(db, await seedOrder(db), 'WEBSALES');
    // A worker thread (Stryker's test runner) cannot set the umask; the usual 022 still masks the group write bit.
    const umask = isMainThread ? process.umask(0o077) : undefined;
    try {
      await deliverToFolder(db, { outboxDir: widened, clock: testClock(), modes: { file: 0o660, dir: 0o770 } });
    } finally {
      if (umask !== undefined) process.umask(umask);
    }
    expect(mode(widened)).toBe(0o770);
    expect(outboxFiles(widened).map((f) => mode(path.join(widened, f)))).toEqual([0o660]);
  });

  it('when the deliverer that claimed a batch was a local process that died, then the next run finishes it at once', async () => {
    const { db } = ctx();
    const dir = outbox();
    await queue(db, await seedOrder(db), 'WEBSALES');
    const deadPid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const dead = `${os.hostname()}:${deadPid}:abcdef`;
    // The dead worker claimed a batch (its lease runs for an hour) and was killed before writing it.
    await deliverToFolder(db, {
      outboxDir: dir,
      clock: testClock(),
      workerId: dead,
      leaseMs: 3_600_000,
      afterStep: (at) => {
        if (at === 'claimed') throw new Error('killed');
      },
    }).catch(() => undefined);
    expect(outboxFiles(dir)).toEqual([]);
    const report = await deliverToFolder(db, { outboxDir: dir, clock: testClock(), workerId: 'restarted' });
    expect(report.batches.map((b) => b.recovered)).toEqual([true]);
    expect(report.documents).toBe(1);
    expect(outboxFiles(dir)).toHaveLength(1);
  });

  it('when documents are queued, then a customers file and a sales-orders file appear, sorted, complete, and every job is delivered', async () => {
    const { db } = ctx();
    const dir = outbox();
    const a = await seedOrder(db);
    const b = await seedOrder(db);
    await queue(db, a, 'NEWA01', newAccountFor(a.order, 'NEWA01'));
    await queue(db, b, 'WEBSALES');
    const report = await deliverToFolder(db, { outboxDir: dir, clock: testClock(), workerId: 'w1' });
    expect(report.errors).toEqual([]);
    expect(report.documents).toBe(3);
    const files = outboxFiles(dir);
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^\d{8}-20261123T101500Z-customers\.xml$/);
    expect(files[1]).toBe(files[0]!.replace('customers', 'sales-orders'));
    expect(documentIds(fs.readFileSync(path.join(dir, files[0]!), 'utf8'))).toEqual({
      customers: [`guest-${a.order.billing.email}`],
      salesOrders: [],
    });
    expect(documentIds(fs.readFileSync(path.join(dir, files[1]!), 'utf8')).salesOrders).toEqual([String(a.orderId), String(b.orderId)]);
    expect(fs.readdirSync(path.join(dir, STAGING_DIR))).toEqual([]);
    const jobs = await db('export_jobs').orderBy('id');
    expect(jobs.map((j) => j.state)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(new Set(jobs.map((j) => j.batch_id)).size).toBe(1);
    expect((await db('export_batches').first()).state).toBe('written');
    expect((await db('orders').whereIn('id', [a.orderId, b.orderId])).map((o) => o.state)).toEqual(['delivered', 'delivered']);
    expect((await deliverToFolder(db, { outboxDir: dir, clock: testClock() })).documents).toBe(0);
  });

  it('when a batch has room for the customer but not its sales order, then the sales order follows in a later file that sorts after it', async () => {
    const { db } = ctx();
    const dir = outbox();
    const a = await seedOrder(db);
    await queue(db, a, 'NEWB01', newAccountFor(a.order, 'NEWB01'));
    const report = await deliverToFolder(db, { outboxDir: dir, clock: testClock(), maxPerBatch: 1 });
    expect(report.batches.map((b) => b.files.length)).toEqual([1, 1]);
    const files = outboxFiles(dir);
    expect(files[0]).toMatch(/customers\.xml$/);
    expect(files[1]).toMatch(/sales-orders\.xml$/);
    expect(files[0]! < files[1]!).toBe(true);
  });

  it('when delivery stops right after publishing its first file, then only the customers file is visible: no sales order ever appears before the customer it needs', async () => {
    const { db } = ctx();
    const dir = outbox();
    for (let i = 0; i < 2; i += 1) {
      const o = await seedOrder(db);
      await queue(db, o, `PUBORD${i}`, newAccountFor(o.order, `PUBORD${i}`));
    }
    const published: string[] = [];
    await expect(
      deliverToFolder(db, {
        outboxDir: dir,
        clock: testClock(),
        maxPerBatch: 4,
        afterStep: (at, detail) => {
          if (at !== 'published-file') return;
          published.push(detail.file!);
          throw new Error('stopped after the first published file');
        },
      }),
    ).rejects.toThrow('stopped after the first published file');
    expect(published).toHaveLength(1);
    const visible = read(dir);
    expect(visible.map((f) => f.name)).toEqual(published);
    expect(visible[0]!.name).toMatch(/-customers\.xml$/);
    expect(documentIds(visible[0]!.xml)).toMatchObject({ salesOrders: [] });
    expect(documentIds(visible[0]!.xml).customers).toHaveLength(2);
  });

  const steps: DeliveryStep[] = ['claimed', 'staged-file', 'staged', 'published-file', 'completed'];
  for (const step of steps) {
    for (const consumed of [false, true]) {
      it(`when delivery crashes at "${step}"${consumed ? ' and the importer has taken the files already' : ''}, then a restart delivers every document exactly once and no partial file is ever visible`, async () => {
        const { db } = ctx();
        const dir = outbox();
        const taken: Array<{ name: string; xml: string }> = [];
        for (let i = 0; i < 4; i += 1) {
          const o = await seedOrder(db);
          await queue(
            db,
            o,
            i % 2 ? 'WEBSALES' : `CR${step.length}${i}${consumed ? 'T' : 'F'}`.slice(0, 8),
            i % 2 ? null : newAccountFor(o.order, `CR${step.length}${i}${consumed ? 'T' : 'F'}`.slice(0, 8)),
          );
        }
        const clock = testClock();
        const visible = () => outboxFiles(dir).filter((f) => !/^\d{8}-\d{8}T\d{6}Z-(customers|sales-orders)\.xml$/.test(f));
        let crashes = 0;
        await expect(
          deliverToFolder(db, {
            outboxDir: dir,
            clock,
            workerId: 'crashing',
            maxPerBatch: 3,
            afterStep: (at) => {
              expect(visible()).toEqual([]);
              if (at === step && crashes++ === 0) throw new Error(`crash at ${step}`);
            },
          }),
        ).rejects.toThrow(`crash at ${step}`);
        if (consumed) {
          for (const file of read(dir)) {
            taken.push(file);
            fs.rmSync(path.join(dir, file.name));
          }
        }
        // Another process takes over once the crashed one's lease has run out.
        clock.advance(10 * 60_000);
        const report = await deliverToFolder(db, { outboxDir: dir, clock, workerId: 'restarted', maxPerBatch: 3 });
        expect(report.errors).toEqual([]);
        expect(visible()).toEqual([]);
        const ids = deliveredIds([...taken, ...read(dir)]);
        expect([...ids.values()].every((n) => n === 1)).toBe(true);
        expect(ids.size).toBe(6);
        const states = (await db('export_jobs')).map((j) => j.state);
        expect(states).toEqual(Array(6).fill('delivered'));
        for (const file of read(dir))
          expect(documentIds(file.xml).customers.length + documentIds(file.xml).salesOrders.length).toBeGreaterThan(0);
      });
    }
  }

  it('when two deliverers run at the same time, then each document is delivered once', async () => {
    const { db } = ctx();
    const dir = outbox();
    for (let i = 0; i < 30; i += 1) await queue(db, await seedOrder(db), 'WEBSALES');
    const clock = testClock();
    const reports = await Promise.all(
      ['p1', 'p2', 'p3'].map((workerId) => deliverToFolder(db, { outboxDir: dir, clock, workerId, maxPerBatch: 4 })),
    );
    expect(reports.flatMap((r) => r.errors)).toEqual([]);
    expect(reports.reduce((s, r) => s + r.documents, 0)).toBe(30);
    const ids = deliveredIds(read(dir));
    expect(ids.size).toBe(30);
    expect([...ids.values()].every((n) => n === 1)).toBe(true);
  });

  it('when a slow deliverer loses its lease mid-batch, then the one that took over delivers it once and the slow one publishes nothing of it and goes on with the next batch', async () => {
    const { db } = ctx();
    const dir = outbox();
    for (let i = 0; i < 3; i += 1) await queue(db, await seedOrder(db), 'WEBSALES');
    const clock = testClock();
    let resume: () => void = () => undefined;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    let takeover: Promise<Awaited<ReturnType<typeof deliverToFolder>>> | undefined;
    const slow = deliverToFolder(db, {
      outboxDir: dir,
      clock,
      workerId: 'slow',
      leaseMs: 60_000,
      afterStep: async (at) => {
        if (at !== 'staged-file' || takeover) return;
        clock.advance(120_000);
        takeover = deliverToFolder(db, { outboxDir: dir, clock, workerId: 'fast', leaseMs: 60_000 });
        await takeover;
        // Queued after the take-over: the slow deliverer goes on with it once its batch is lost.
        await queue(db, await seedOrder(db), 'WEBSALES');
        resume();
        await paused;
      },
    });
    const slowReport = await slow;
    const fastReport = await takeover!;
    expect(fastReport).toMatchObject({ documents: 3, errors: [] });
    expect(slowReport.documents).toBe(1);
    expect(slowReport.errors).toEqual([
      { batchId: expect.any(Number), message: expect.stringContaining('lease lost'), retryAt: null, failedJobs: [] },
    ]);
    const ids = deliveredIds(read(dir));
    expect(ids.size).toBe(4);
    expect([...ids.values()].every((n) => n === 1)).toBe(true);
    expect(fs.readdirSync(path.join(dir, STAGING_DIR))).toEqual([]);
  });

  it('when the outbox cannot be written, then the job goes back to the queue with the error and is delivered once its wait is over', async () => {
    const { db } = ctx();
    const dir = outbox();
    await queue(db, await seedOrder(db), 'WEBSALES');
    const blocked = path.join(dir, STAGING_DIR);
    fs.writeFileSync(blocked, 'not a folder');
    const clock = testClock();
    const failed = await deliverToFolder(db, { outboxDir: dir, clock, workerId: 'w', random: () => 1 });
    expect(failed.errors).toHaveLength(1);
    expect(failed.errors[0]!.retryAt).toBe('2026-11-23T10:16:00.000Z');
    const job = await db('export_jobs').first();
    expect(job).toMatchObject({ state: 'queued', batch_id: null, attempts: 1, next_attempt_at: '2026-11-23T10:16:00.000Z' });
    expect(job.last_error).toMatch(/^attempt 1 of 10 failed: .*(EEXIST|ENOTDIR)/);
    expect(await db('export_batches')).toEqual([]);
    fs.rmSync(blocked);
    clock.advance(60_000);
    const retried = await deliverToFolder(db, { outboxDir: dir, clock, workerId: 'w' });
    expect(retried).toMatchObject({ documents: 1, errors: [] });
    expect((await db('export_jobs').first()).state).toBe('delivered');
  });
});

describeEachDialect('deliverToFolder: steps, limits and history', (ctx) => {
  afterEach(async () => {
    await ctx().db('export_jobs').delete();
    await ctx().db('export_batches').delete();
  });

  it('when a batch is delivered, then each step names the batch (and the file), the batch is the worker’s for five minutes, and the orders’ history names the files', async () => {
    const { db } = ctx();
    const dir = outbox();
    const clock = testClock();
    const a = await seedOrder(db);
    await queue(db, a, 'STEP01', newAccountFor(a.order, 'STEP01'));
    const seen: Array<[DeliveryStep, unknown]> = [];
    let lockedUntil: string | undefined;
    const report = await deliverToFolder(db, {
      outboxDir: dir,
      clock,
      afterStep: async (at, detail) => {
        seen.push([at, detail]);
        if (at === 'claimed') lockedUntil = new Date((await db('export_batches').first()).locked_until).toISOString();
      },
    });
    const [batch] = report.batches;
    const files = [`${batch!.name}-customers.xml`, `${batch!.name}-sales-orders.xml`];
    expect(batch).toEqual({ id: expect.any(Number), name: expect.any(String), files, documents: 2, recovered: false });
    expect(seen).toEqual([
      ['claimed', { batchId: batch!.id }],
      ['staged-file', { batchId: batch!.id, file: files[0] }],
      ['staged-file', { batchId: batch!.id, file: files[1] }],
      ['staged', { batchId: batch!.id }],
      ['published-file', { batchId: batch!.id, file: files[0] }],
      ['published-file', { batchId: batch!.id, file: files[1] }],
      ['completed', { batchId: batch!.id }],
    ]);
    expect(lockedUntil).toBe(new Date(clock.now().getTime() + 5 * 60_000).toISOString());
    const delivered = await db('order_events').where({ order_id: a.orderId, to_state: 'delivered' });
    expect(delivered.map((e) => [e.actor, e.reason])).toEqual([['delivery', `delivered to the outbox in ${files.join(', ')}`]]);
  });

  it('when a step’s hook fails, then the run stops with that error as its cause', async () => {
    const { db } = ctx();
    await queue(db, await seedOrder(db), 'WEBSALES');
    const crash = new Error('simulated crash');
    const failure = await deliverToFolder(db, {
      outboxDir: outbox(),
      clock: testClock(),
      afterStep: (at) => {
        if (at === 'staged') throw crash;
      },
    }).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(failure).toMatchObject({ message: 'simulated crash', cause: crash });
  });

  it('when a run may make only one batch, then it makes one and leaves the rest queued; otherwise it makes as many as needed', async () => {
    const { db } = ctx();
    await queue(db, await seedOrder(db), 'WEBSALES');
    await queue(db, await seedOrder(db), 'WEBSALES');
    const report = await deliverToFolder(db, { outboxDir: outbox(), clock: testClock(), maxBatches: 1, maxPerBatch: 1 });
    expect(report.batches).toHaveLength(1);
    expect((await db('export_jobs').orderBy('id')).map((j) => j.state)).toEqual(['delivered', 'queued']);
    await queue(db, await seedOrder(db), 'WEBSALES');
    const rest = await deliverToFolder(db, { outboxDir: outbox(), clock: testClock(), maxPerBatch: 1 });
    expect(rest.batches).toHaveLength(2);
  });

  it('when a batch’s second file cannot be staged, then the first one staged is discarded and its documents go back to the queue', async () => {
    const { db } = ctx();
    const dir = outbox();
    const a = await seedOrder(db);
    await queue(db, a, 'STAGE01', newAccountFor(a.order, 'STAGE01'));
    const report = await deliverToFolder(db, {
      outboxDir: dir,
      clock: testClock(),
      afterStep: (at, detail) => {
        // A folder where the sales-orders file is to be renamed into place: its staging fails.
        if (at === 'staged-file' && detail.file!.endsWith('-customers.xml')) {
          fs.mkdirSync(path.join(dir, STAGING_DIR, detail.file!.replace('customers', 'sales-orders')));
        }
      },
    });
    expect(report.errors).toHaveLength(1);
    expect(fs.readdirSync(path.join(dir, STAGING_DIR)).filter((f) => f.endsWith('-customers.xml'))).toEqual([]);
    expect(outboxFiles(dir)).toEqual([]);
    expect((await db('export_jobs')).map((j) => j.state)).toEqual(['queued', 'queued']);
  });

  it('when the outbox cannot be written, then the run stops at the first batch: the documents behind it keep their attempts', async () => {
    const { db } = ctx();
    const dir = outbox();
    await queue(db, await seedOrder(db), 'WEBSALES');
    await queue(db, await seedOrder(db), 'WEBSALES');
    fs.writeFileSync(path.join(dir, STAGING_DIR), 'not a folder');
    const report = await deliverToFolder(db, { outboxDir: dir, clock: testClock(), maxPerBatch: 1 });
    expect(report.errors).toHaveLength(1);
    expect((await db('export_jobs').orderBy('id')).map((j) => j.attempts)).toEqual([1, 0]);
  });
});
