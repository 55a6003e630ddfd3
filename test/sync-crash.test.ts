import { afterEach, expect, it } from 'vitest';
import { readOrdersCursor } from '../src/db/cursor.ts';
import { SYNC_LEASE } from '../src/pipeline/run-sync.ts';
import { Rng } from '../src/sandbox/random.ts';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { startWooSage, type ChildCli } from './helpers/child-cli.ts';
import { integrityProblems } from './helpers/db-integrity.ts';
import { cursorViolations, eventViolations, inboxMismatches, stateViolations } from './helpers/inbox-invariants.ts';
import { HEAVY, scenarioSeeds } from './helpers/seeds.ts';
import { resetInbox } from './helpers/sync.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const KILLS = HEAVY ? 120 : 8;
const [SEED] = scenarioSeeds('WOO_SAGE_CRASH_SEED', { ci: 1, heavy: 1 });

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describeEachDialect('woo-sage sync killed with SIGKILL at random points', (ctx) => {
  it(
    `when a real sync process is killed ${KILLS} times mid-run and restarted (seed ${SEED}), then the database stays sound, the cursor is never ahead, and a final run leaves every store order in the inbox exactly once at its latest content`,
    async () => {
      const { db, url } = ctx();
      await resetInbox(db);
      const rng = new Rng(SEED!);
      const where = `seed ${SEED} (replay with WOO_SAGE_CRASH_SEED=${SEED})`;
      sandbox = await startSandbox({ seed: SEED, orders: 900, customers: 300, secondsPerOrder: rng.pick([0.01, 0.4, 2]) });
      const shop = sandbox;
      const env = {
        LOG_LEVEL: 'silent',
        DATABASE_URL: url,
        WOO_URL: shop.url,
        WOO_CONSUMER_KEY: shop.consumerKey,
        WOO_CONSUMER_SECRET: shop.consumerSecret,
      };
      const versions = new Map<number, number>();
      const edit = () => {
        if (rng.chance(0.3)) {
          versions.set(
            shop.store.createOrder((o) => void (o.status = 'processing')),
            1,
          );
          return;
        }
        const id = rng.pick(shop.store.orderIds());
        shop.store.modifyOrder(id, (o) => void (o.status = rng.pick(['processing', 'completed', 'on-hold', 'cancelled'])));
        versions.set(id, (versions.get(id) ?? 1) + 1);
      };

      // Kill on the k-th store request, a few milliseconds after it arrives: while the child waits
      // for the answer, parses it, or writes the page and the cursor.
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

      let kills = 0;
      let completed = 0;
      let leaseChecked = false;
      for (let attempt = 0; kills < KILLS && attempt < KILLS * 4; attempt++) {
        killAt = { request: rng.int(1, 12), afterMs: rng.int(0, 80) };
        const child = await start();
        // Now and then kill by the clock instead, which also lands in start-up and the migration check.
        const timer = rng.chance(0.15) ? setTimeout(() => child.kill(), rng.int(200, 2500)) : undefined;
        const run = await child.done;
        clearTimeout(timer);
        if (run.killed) {
          kills++;
        } else {
          expect(run.code, `${where}: an unkilled run failed: ${run.stderr}`).toBe(0);
          completed++;
        }
        expect(await integrityProblems(db), where).toEqual([]);
        expect(await cursorViolations(db, shop.store), `${where}, after kill ${kills}`).toEqual([]);

        if (run.killed && !leaseChecked && (await db('sync_state').where({ name: SYNC_LEASE }).whereNotNull('lease_owner').first())) {
          // The dead run's lease holds until it expires: a restart refuses rather than risk two runs.
          leaseChecked = true;
          const refused = await (await start()).done;
          expect(refused.code, where).toBe(1);
          expect(refused.stderr, where).toContain('another sync is running');
        }
        // The restart comes after the lease has expired (10 minutes in production).
        await db('sync_state').where({ name: SYNC_LEASE }).update({ lease_expires_at: '2000-01-01T00:00:00.000Z' });
        for (let n = rng.int(0, 3); n > 0; n--) edit();
      }
      expect(kills, where).toBe(KILLS);

      editing = false;
      killAt = { request: 0, afterMs: 0 };
      const final = await (await start()).done;
      expect(final.code, `${where}: ${final.stderr}`).toBe(0);
      expect(JSON.parse(final.stdout), where).toMatchObject({ ok: true });
      expect(await integrityProblems(db), where).toEqual([]);
      expect(await inboxMismatches(db, shop.store), where).toEqual([]);
      expect(await eventViolations(db, versions), where).toEqual([]);
      expect(await stateViolations(db), where).toEqual([]);
      expect(completed + kills, where).toBeGreaterThan(0);
    },
    (HEAVY ? 1200 : 150) * 1000,
  );
});
