import type { Knex } from 'knex';
import { readOrdersCursor } from '../../src/db/cursor.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import { runSync, SyncFailedError } from '../../src/pipeline/run-sync.ts';
import type { SyncSummary } from '../../src/pipeline/sync-summary.ts';
import type { Fault, FaultRule } from '../../src/sandbox/faults.ts';
import { Rng } from '../../src/sandbox/random.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { createWooClient } from '../../src/woo/client.ts';
import { cursorViolations, eventViolations, inboxMismatches, stateViolations } from './inbox-invariants.ts';
import { resetInbox } from './sync.ts';

/**
 * One seeded fault-injection scenario: a sandbox store, several sync runs through the real client
 * over loopback HTTP with faults and store edits at random points, then a clean run. Everything
 * random comes from the seed, so a failure is replayed with WOO_SAGE_FAULT_SEED=<seed>.
 */

const SINCE = new Date('2026-01-01T00:00:00Z');
/** Per request in the faulty runs; delay faults wait well past it. */
const FAULTY_TIMEOUT_MS = 400;
const DELAY_MS = 900;

/** Failures a run may end with under these faults; anything else is a bug. */
export const CLEAN_FAILURE_CODES = new Set(['WOO_UNAVAILABLE', 'WOO_REQUEST_REJECTED']);

export interface ScenarioReport {
  seed: number;
  runs: Array<{ ok: boolean; code?: string; message?: string; orders: number; requests: number }>;
  problems: string[];
  edits: number;
  creates: number;
  orders: number;
}

function randomFault(rng: Rng): Fault {
  const kind = rng.weighted([
    ['status', 30],
    ['rate-limit', 15],
    ['delay', 6],
    ['reset', 15],
    ['truncate', 15],
    ['malformed-json', 15],
    ['rejected', 2],
    ['long-rate-limit', 2],
  ] as const);
  switch (kind) {
    case 'status':
      return { kind: 'status', status: rng.pick([500, 502, 503, 504]) };
    case 'rate-limit':
      return { kind: 'rate-limit', retryAfterSeconds: rng.int(1, 30) };
    case 'long-rate-limit':
      return { kind: 'rate-limit', retryAfterSeconds: 3600 };
    case 'delay':
      return { kind: 'delay', ms: DELAY_MS };
    case 'rejected':
      return { kind: 'status', status: 400, body: { code: 'rest_invalid_param', message: 'Invalid parameter(s): page' } };
    default:
      return { kind };
  }
}

function randomRules(rng: Rng): FaultRule[] {
  const rules: FaultRule[] = [];
  for (let n = rng.int(0, 5); n > 0; n--) {
    const fault = randomFault(rng);
    const resource = rng.chance(0.65) ? 'orders' : 'customers';
    rules.push({
      fault,
      match: { resource },
      // A run sends a few customer requests and a dozen order requests.
      skip: resource === 'orders' ? rng.int(0, 12) : rng.int(0, 2),
      // Sometimes a fault outlasts every retry, so the run must fail cleanly.
      times: rng.chance(0.2) && fault.kind !== 'delay' ? Infinity : rng.int(1, 3),
    });
  }
  return rules;
}

/** Edits the shop makes while it is being read: status changes, new emails, notes, new orders, saves without changes. */
function editStore(sandbox: Sandbox, rng: Rng, versions: Map<number, number>, counts: { edits: number; creates: number }): void {
  const store = sandbox.store;
  const kind = rng.weighted([
    ['status', 35],
    ['email', 15],
    ['note', 15],
    ['touch', 10],
    ['create', 25],
  ] as const);
  if (kind === 'create') {
    const id = store.createOrder((o) => void (o.status = rng.pick(['processing', 'pending', 'completed'])));
    versions.set(id, 1);
    counts.creates++;
    return;
  }
  const id = rng.pick(store.orderIds());
  store.modifyOrder(id, (o) => {
    if (kind === 'status') o.status = rng.pick(['processing', 'completed', 'cancelled', 'on-hold', 'refunded']);
    if (kind === 'email') o.billing = { ...(o.billing as object), email: `edited${rng.int(1, 1e6)}@example.com` };
    if (kind === 'note') o.customer_note = `note ${rng.int(1, 1e6)}`;
  });
  versions.set(id, (versions.get(id) ?? 1) + 1);
  counts.edits++;
}

async function orderCount(db: Knex): Promise<number> {
  return Number((await db('orders').count({ n: '*' }).first())?.n);
}

export interface ScenarioOptions {
  db: Knex;
  seed: number;
  /** Faulty runs before the clean one. */
  faultyRuns?: number;
}

export async function runFaultScenario(options: ScenarioOptions): Promise<ScenarioReport> {
  const { db, seed } = options;
  const rng = new Rng(seed);
  await resetInbox(db);
  const orders = rng.int(120, 320);
  // Ties: from whole pages in one second (bulk edits) to one order a minute.
  const secondsPerOrder = rng.pick([0.004, 0.05, 0.5, 2, 45]);
  // One clock for the shop and the runs; backoff sleeps move it instead of waiting.
  const clock = fixedClock('2026-03-01T12:00:00Z');
  const sandbox = await startSandbox({ seed, orders, secondsPerOrder, clock, customers: rng.int(20, 120) });
  const versions = new Map<number, number>();
  const counts = { edits: 0, creates: 0 };
  const report: ScenarioReport = { seed, runs: [], problems: [], edits: 0, creates: 0, orders };
  let editing = true;
  // How fast the shop's time runs between requests: slow time puts edits in the second being read.
  const tick = rng.pick([50, 400, 1500]);
  const editChance = rng.pick([0.2, 0.5]);
  sandbox.onRequest(() => {
    clock.advance(rng.int(0, tick));
    if (editing && rng.chance(editChance)) for (let n = rng.int(1, 3); n > 0; n--) editStore(sandbox, rng, versions, counts);
  });

  const run = async (faulty: boolean): Promise<{ summary: SyncSummary; error?: SyncFailedError }> => {
    const client = createWooClient(
      { url: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret },
      {
        logger: silentLogger,
        timeoutMs: faulty ? FAULTY_TIMEOUT_MS : 10_000,
        retry: { attempts: 3 },
        random: () => rng.next(),
        sleep: async (ms) => clock.advance(ms),
      },
    );
    const since = (await readOrdersCursor(db)) ? undefined : SINCE;
    try {
      const summary = await runSync({
        db,
        client,
        clock,
        logger: silentLogger,
        storeId: sandbox.url,
        since,
        sleep: async (ms) => clock.advance(ms),
      });
      return { summary };
    } catch (err) {
      if (err instanceof SyncFailedError) return { summary: err.summary, error: err };
      throw err;
    }
  };

  try {
    const faultyRuns = options.faultyRuns ?? rng.int(2, 4);
    for (let r = 0; r < faultyRuns; r++) {
      sandbox.faults.clear();
      for (const rule of randomRules(rng)) sandbox.faults.inject(rule);
      const before = sandbox.requests.total;
      const storedBefore = await orderCount(db);
      const { summary, error } = await run(true);
      report.runs.push({
        ok: !error,
        code: error?.code,
        message: error?.message,
        orders: summary.orders.seen,
        requests: sandbox.requests.total - before,
      });
      if (error) {
        if (!CLEAN_FAILURE_CODES.has(error.code)) report.problems.push(`run ${r + 1} failed with ${error.code}: ${error.message}`);
        if (!/\b(GET|PUT) (orders|customers)\b/.test(error.message))
          report.problems.push(`run ${r + 1}'s error does not name the request: ${error.message}`);
        if (summary.ok || !summary.error) report.problems.push(`run ${r + 1} failed but its summary does not say so`);
      }
      // What the summary says the run stored is what it stored, finished or not.
      const added = (await orderCount(db)) - storedBefore;
      if (summary.orders.new !== added)
        report.problems.push(`run ${r + 1}'s summary says ${summary.orders.new} new orders; it stored ${added}`);
      for (const p of await cursorViolations(db, sandbox.store)) report.problems.push(`after run ${r + 1}: ${p}`);
    }

    sandbox.faults.clear();
    editing = false;
    const { error } = await run(false);
    report.runs.push({ ok: !error, code: error?.code, message: error?.message, orders: 0, requests: 0 });
    if (error) report.problems.push(`the clean run failed: ${error.code} ${error.message}`);
    report.problems.push(...(await cursorViolations(db, sandbox.store)));
    report.problems.push(...(await inboxMismatches(db, sandbox.store)));
    report.problems.push(...(await eventViolations(db, versions)));
    report.problems.push(...(await stateViolations(db)));
    report.edits = counts.edits;
    report.creates = counts.creates;
    return report;
  } finally {
    await sandbox.close();
  }
}

/** "seed 123: 3 runs (ok; WOO_UNAVAILABLE …)" for a failure message. */
export function describeScenario(report: ScenarioReport): string {
  const runs = report.runs.map((r, i) => `  run ${i + 1}: ${r.ok ? 'ok' : `${r.code}: ${r.message}`} (${r.requests} requests)`).join('\n');
  return `seed ${report.seed} (replay with WOO_SAGE_FAULT_SEED=${report.seed}): ${report.orders} orders, ${report.edits} edits, ${report.creates} new orders while paging\n${runs}\nproblems:\n  ${report.problems.slice(0, 20).join('\n  ')}`;
}
