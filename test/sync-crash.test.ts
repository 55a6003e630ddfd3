import fs from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { readOrdersCursor } from '../src/db/cursor.ts';
import { SYNC_LEASE } from '../src/pipeline/run-sync.ts';
import { Rng } from '../src/sandbox/random.ts';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { DEFAULT_SETTINGS } from '../src/settings/schema.ts';
import { updateSettings } from '../src/settings/store.ts';
import { startWooSage, type ChildCli } from './helpers/child-cli.ts';
import { integrityProblems } from './helpers/db-integrity.ts';
import { cursorViolations, inboxMismatches, stateViolations } from './helpers/inbox-invariants.ts';
import { tempOutbox } from './helpers/outbox.ts';
import { deliveryViolations, eventChainViolations, readOutbox } from './helpers/outbox-invariants.ts';
import { HEAVY, scenarioSeeds } from './helpers/seeds.ts';
import { resetPipeline } from './helpers/sync.ts';
import { describeEachDialect } from './helpers/test-db.ts';
import type { Knex } from 'knex';

const KILLS = HEAVY ? 120 : 8;
// 1715786159 killed the restart with the dead run's kill plan (fixed since); plus one fresh seed.
const SEEDS = scenarioSeeds('WOO_SAGE_CRASH_SEED', { fixed: [1_715_786_159], fresh: 1, heavy: 1 });

let sandbox: Sandbox | undefined;
let outboxDir: string | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
  if (outboxDir) fs.rmSync(outboxDir, { recursive: true, force: true });
  outboxDir = undefined;
});

describeEachDialect('woo-sage sync (poll → process → deliver) killed with SIGKILL at random points', (ctx) => {
  for (const SEED of SEEDS) it(
    `when a real sync process is killed ${KILLS} times while it polls, allocates, queues and delivers, and is restarted (seed ${SEED}), then the database stays sound, the cursor is never ahead, no partial or doubled file is ever visible, and a final run delivers every settled order exactly once`,
    async () => {
      const { db, url } = ctx();
      // Each seed starts from an empty pipeline: the previous seed's documents and accounts would break its invariants.
      await resetPipeline(db);
      // Settled at once, so every run has allocation, queueing and delivery to be killed in.
      await updateSettings(db, { settleMinutes: 0 }, 'crash-test');
      const rng = new Rng(SEED);
      const where = `seed ${SEED} (replay with WOO_SAGE_CRASH_SEED=${SEED})`;
      sandbox = await startSandbox({ seed: SEED, orders: 300, customers: 120, secondsPerOrder: rng.pick([0.01, 0.4, 2]) });
      outboxDir = tempOutbox();
      const shop = sandbox;
      const outbox = outboxDir;
      const env = {
        LOG_LEVEL: 'silent',
        DATABASE_URL: url,
        OUTBOX_DIR: outbox,
        WOO_URL: shop.url,
        WOO_CONSUMER_KEY: shop.consumerKey,
        WOO_CONSUMER_SECRET: shop.consumerSecret,
      };
      const edit = () => {
        if (rng.chance(0.4)) {
          shop.store.createOrder((o) => void (o.status = 'processing'));
          return;
        }
        const id = rng.pick(shop.store.orderIds());
        shop.store.modifyOrder(id, (o) => void (o.status = rng.pick(['processing', 'completed', 'on-hold', 'cancelled'])));
      };

      // Kills land in every stage: a few milliseconds after the k-th store request (while the child
      // waits for the answer, parses it, or stores the page and the cursor); once it has queued
      // the documents of n orders (allocation and queueing); once it has claimed a delivery batch
      // (staging, publishing and completing the files); or at a random moment (start-up included).
      let current: ChildCli | undefined;
      let requests = 0;
      let killAt = { request: 0, afterMs: 0 };
      let editing = true;
      shop.onRequest(() => {
        requests++;
        if (editing && rng.chance(0.25)) edit();
        if (requests === killAt.request) {
          const child = current;
          setTimeout(() => child?.kill(), killAt.afterMs);
        }
      });
      const start = async () => {
        const since = (await readOrdersCursor(db)) ? [] : ['--since', '2026-01-01'];
        requests = 0;
        current = startWooSage(['sync', ...since, '--json'], env);
        return current;
      };
      const count = async (table: string) => Number((await db(table).count({ n: '*' }).first())?.n);
      const killWhen = async (child: ChildCli, reached: () => Promise<boolean>, afterMs: number) => {
        while (!child.ended) {
          if (await reached()) {
            setTimeout(() => child.kill(), afterMs);
            return;
          }
          await new Promise((r) => setTimeout(r, 10));
        }
      };

      let kills = 0;
      let leaseChecked = false;
      const stages = { request: 0, process: 0, deliver: 0, timer: 0 };
      for (let attempt = 0; kills < KILLS && attempt < KILLS * 4; attempt++) {
        const mode = rng.pick(['request', 'process', 'deliver', 'deliver', 'timer'] as const);
        killAt = mode === 'request' ? { request: rng.int(1, 4), afterMs: rng.int(0, 80) } : { request: 0, afterMs: 0 };
        const [jobs, batches] = [await count('export_jobs'), await count('export_batches')];
        const child = await start();
        const timer = mode === 'timer' ? setTimeout(() => child.kill(), rng.int(300, 4000)) : undefined;
        if (mode === 'process') void killWhen(child, async () => (await count('export_jobs')) >= jobs + rng.int(1, 5), rng.int(0, 30));
        if (mode === 'deliver') void killWhen(child, async () => (await count('export_batches')) > batches, rng.int(0, 60));
        const run = await child.done;
        clearTimeout(timer);
        if (run.killed) {
          kills++;
          stages[mode]++;
        } else expect(run.code, `${where}: an unkilled run failed: ${run.stderr}`).toBe(0);
        expect(await integrityProblems(db), where).toEqual([]);
        expect(await cursorViolations(db, shop.store), `${where}, after kill ${kills}`).toEqual([]);
        expect(readOutbox(outbox).problems, `${where}, after kill ${kills}`).toEqual([]);

        if (run.killed && !leaseChecked && (await db('sync_state').where({ name: SYNC_LEASE }).whereNotNull('lease_owner').first())) {
          // The dead run's lease is still set, but its holder was a process on this host that is
          // gone: a restart takes the lease over at once instead of waiting for it to expire.
          leaseChecked = true;
          killAt = { request: 0, afterMs: 0 }; // this restart must run to its end
          const restarted = await (await start()).done;
          expect(restarted.code, `${where}: ${restarted.stderr}`).toBe(0);
        }
        // New orders and edits, so every run has something to allocate, queue and deliver.
        for (let n = rng.int(2, 12); n > 0; n--) edit();
      }
      expect(kills, `${where}: ${JSON.stringify(stages)}`).toBe(KILLS);

      editing = false;
      killAt = { request: 0, afterMs: 0 };
      const final = await (await start()).done;
      expect(final.code, `${where}: ${final.stderr}`).toBe(0);
      expect(JSON.parse(final.stdout), where).toMatchObject({ ok: true });
      expect(await integrityProblems(db), where).toEqual([]);
      expect(await inboxMismatches(db, shop.store), where).toEqual([]);
      expect(await eventChainViolations(db), where).toEqual([]);
      expect(await stateViolations(db, ['waiting', 'held', 'delivered']), where).toEqual([]);
      expect(await deliveryViolations(db, outbox), where).toEqual([]);
      // With no settle period, only orders outside the import statuses may still wait.
      const stillWaiting = await db('orders').where({ state: 'waiting' }).whereIn('status', DEFAULT_SETTINGS.importStatuses).pluck('id');
      expect(stillWaiting, where).toEqual([]);
      expect(readOutbox(outbox).salesOrders.size, where).toBeGreaterThan(150);
    },
    (HEAVY ? 3600 : 240) * 1000,
  );
});
