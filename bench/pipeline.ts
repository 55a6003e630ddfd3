/**
 * The pipeline benchmark (`npm run bench`): a backlog of seeded orders in the sandbox store, one
 * full sync (poll → allocate → render → queue → deliver) on SQLite, on MariaDB/MySQL when
 * MYSQL_TEST_URL or DATABASE_URL names one, and the naive baseline (bench/baseline.ts), each on a
 * fresh database and outbox, each in its own process; every run's work is verified afterwards.
 *
 *   npm run bench [-- --orders 100000] [--json] [--runs sqlite,mysql,baseline] [--baseline-orders N] [--profile DIR]
 *
 * The baseline spends seconds per hundred orders (a transaction, a file and fsyncs per document),
 * so by default it runs on a backlog of at most 10,000 (its per-order cost does not depend on
 * the backlog); `--baseline-orders 100000` runs it on the full one, for an hour or so.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import knex, { type Knex } from 'knex';
import { openDatabase } from '../src/db/connection.ts';
import { parseDatabaseUrl } from '../src/db/database-url.ts';
import { buildBooks } from '../src/pipeline/books.ts';
import { DEFAULT_SETTINGS } from '../src/settings/schema.ts';
import { EXIT_USAGE } from '../src/cli/exit-codes.ts';
import { compileBenchScript } from './compile-run-process.ts';
import { parseBenchOptions } from './options.ts';
import { prepareBenchDatabase } from './shop.ts';
import { formatReport, type BenchReport, type RunFigures } from './report.ts';
import type { RunRequest, RunResult } from './run-process.ts';
import type { SandboxReady } from './sandbox-process.ts';
import { verifyRun } from './verify-run.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const parsed = parseBenchOptions(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
});
if ('exitCode' in parsed) process.exit(parsed.exitCode);
const { orders, json, baselineOrders, profileDir, runs: wanted, runsGiven, loader, nodeArgs } = parsed.options;
const mysqlServer = [process.env.MYSQL_TEST_URL, process.env.DATABASE_URL].find((u) => u && parseDatabaseUrl(u).dialect === 'mysql');
if (wanted.includes('mysql') && !mysqlServer && runsGiven) {
  process.stderr.write(
    '--runs mysql: set MYSQL_TEST_URL (or DATABASE_URL) to a MySQL/MariaDB server, e.g. mysql://root@127.0.0.1:3306/test\n',
  );
  process.exit(EXIT_USAGE);
}
const log = (line: string) => {
  if (!json) process.stderr.write(`${line}\n`);
};

function forkTs(script: string, argv: string[] = [], execArgv: string[] = []): ChildProcess {
  return fork(path.join(here, script), argv, {
    execArgv: ['--import', 'tsx', ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The measured run's process: compiled JavaScript as installed (default), or through tsx (`--loader tsx`). */
async function forkRun(execArgv: string[]): Promise<ChildProcess> {
  if (loader === 'tsx') return forkTs('run-process.ts', [], [...nodeArgs, ...execArgv]);
  const script = await compileBenchScript('run-process.ts');
  return fork(script, [], {
    execArgv: ['--enable-source-maps', ...nodeArgs, ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function nextMessage<T>(child: ChildProcess, type?: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type?: string }) => {
      if (type && m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as T);
    };
    const onExit = (code: number | null) =>
      reject(new Error(`${path.basename(String(child.spawnargs.at(-1)))} exited (${code}) before answering`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

interface BenchDatabase {
  url: string;
  dialect: 'sqlite' | 'mysql';
  drop(): Promise<void>;
}

async function createDatabase(dialect: 'sqlite' | 'mysql'): Promise<BenchDatabase> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-bench-db-'));
    return { url: `sqlite:${path.join(dir, 'bench.sqlite')}`, dialect, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const server = new URL(mysqlServer!);
  const name = `woo_sage_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const adminUrl = new URL(server);
  adminUrl.pathname = '/';
  const admin: Knex = knex({ client: 'mysql2', connection: adminUrl.toString() });
  await admin.raw('CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [name]);
  server.pathname = `/${name}`;
  return {
    url: server.toString(),
    dialect,
    async drop() {
      await admin.raw('DROP DATABASE IF EXISTS ??', [name]);
      await admin.destroy();
    },
  };
}

async function sandboxRequests(sandbox: ChildProcess): Promise<{ requests: number; cpuSeconds: number }> {
  const answer = nextMessage<{ counts: { total: number }; cpuSeconds: number }>(sandbox, 'requests');
  sandbox.send({ type: 'requests' });
  const { counts, cpuSeconds } = await answer;
  return { requests: counts.total, cpuSeconds };
}

async function measure(label: string, mode: RunRequest['mode'], dialect: 'sqlite' | 'mysql', { shop, sandbox }: Shop): Promise<RunFigures> {
  const orders = shop.orders;
  const database = await createDatabase(dialect);
  const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-bench-outbox-'));
  try {
    // Ready before the clock starts: schema, the Sage accounts export in the mirror, no settle wait.
    const db = openDatabase(database.url);
    try {
      await prepareBenchDatabase(db, shop.accountsFile);
    } finally {
      await db.destroy();
    }
    const reset = nextMessage(sandbox, 'reset');
    sandbox.send({ type: 'reset' });
    await reset;

    log(`${label}: ${orders} orders on ${dialect}…`);
    const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, `${label}-${orders}`)}`] : [];
    const child = await forkRun(execArgv);
    const answer = nextMessage<RunResult>(child);
    child.send({
      mode,
      databaseUrl: database.url,
      store: { url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret },
      storeId: shop.url,
      since: new Date((shop.startSec - 60) * 1000).toISOString(),
      outboxDir,
    } satisfies RunRequest);
    const result = await answer;
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
    if (!result.ok) throw new Error(`${label} run failed: ${result.error}`);
    const store = await sandboxRequests(sandbox);
    const requests = store.requests;

    log(`${label}: ${result.seconds.toFixed(1)} s; verifying the outbox…`);
    const check = openDatabase(database.url);
    try {
      const verification = await verifyRun(check, outboxDir, { orders: shop.orders, importStatuses: DEFAULT_SETTINGS.importStatuses });
      const books = mode === 'pipeline' ? await measureBooks(check, shop.orders) : undefined;
      return {
        orders,
        ordersPerSecond: Math.round(orders / result.seconds),
        storeRequestsPer1000: Number(((requests * 1000) / orders).toFixed(1)),
        peakRssMb: Math.round(result.maxRssBytes / 1024 / 1024),
        startRssMb: Math.round(result.startRssBytes / 1024 / 1024),
        database: dialect,
        seconds: Number(result.seconds.toFixed(2)),
        cpuSeconds: Number(result.cpuSeconds.toFixed(2)),
        storeCpuSeconds: Number(store.cpuSeconds.toFixed(2)),
        storeRequests: requests,
        stages: Object.fromEntries(
          Object.entries(result.stageSeconds).map(([name, s]) => [
            name,
            {
              seconds: Number(s.toFixed(2)),
              cpuSeconds: Number((result.stageCpuSeconds[name] ?? 0).toFixed(2)),
              peakRssMb: Math.round((result.stagePeakRssBytes[name] ?? 0) / 1024 / 1024),
              // A stage that had nothing to do (write-back off) has no meaningful rate.
              ordersPerSecond: s >= 0.05 ? Math.round(orders / s) : null,
              counts: result.stages[name] ?? {},
            },
          ]),
        ),
        verified: verification,
        ...(books ? { books } : {}),
      };
    } finally {
      await check.destroy();
    }
  } finally {
    fs.rmSync(outboxDir, { recursive: true, force: true });
    await database.drop();
  }
}

/**
 * The books ledger over the run's database (`woo-sage books` without a period: every order), timed
 * in this process after the run, and checked: every order counted, every difference 0.
 */
async function measureBooks(db: Knex, orders: number): Promise<NonNullable<RunFigures['books']>> {
  const started = performance.now();
  const ledger = await buildBooks(db, { now: new Date() });
  const seconds = (performance.now() - started) / 1000;
  const inbox = Number((await db('orders').count({ n: '*' }).first())?.n ?? 0);
  const counted = ledger.totals.orders + ledger.otherCurrencies.reduce((s, c) => s + c.orders, 0);
  if (counted !== inbox) throw new Error(`the books counted ${counted} orders, the inbox holds ${inbox}`);
  if (!ledger.balanced) throw new Error(`the books do not balance: difference ${ledger.totals.differenceMinor}`);
  log(`books: ${ledger.days.length} days, ${counted} orders in ${seconds.toFixed(2)} s; balanced`);
  return {
    seconds: Number(seconds.toFixed(2)),
    ordersPerSecond: Math.round(orders / seconds),
    days: ledger.days.length,
    sageGrossMinor: ledger.totals.sageGrossMinor,
    differenceMinor: ledger.totals.differenceMinor,
  };
}

interface Shop {
  shop: SandboxReady & { accountsFile: string };
  sandbox: ChildProcess;
  stop(): void;
}

async function startShop(orderCount: number, workDir: string): Promise<Shop> {
  const accountsFile = path.join(workDir, `sage-accounts-${orderCount}.xml`);
  const sandbox = forkTs('sandbox-process.ts', [String(orderCount), accountsFile]);
  const shop = { ...(await nextMessage<SandboxReady>(sandbox, 'ready')), accountsFile };
  log(`sandbox store ${shop.url}: ${shop.orders} orders`);
  return { shop, sandbox, stop: () => sandbox.connected && sandbox.send({ type: 'stop' }) };
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-bench-'));
const shops: Shop[] = [];
try {
  const report: BenchReport = {
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadAverage: os.loadavg().map((l) => Number(l.toFixed(1))),
    },
  };
  const pipelineRuns = (['sqlite', 'mysql'] as const).filter((d) => wanted.includes(d) && (d === 'sqlite' || mysqlServer));
  let shop: Shop | undefined;
  if (pipelineRuns.length > 0) {
    shop = await startShop(orders, workDir);
    shops.push(shop);
    for (const dialect of pipelineRuns) report[dialect] = await measure(dialect, 'pipeline', dialect, shop);
  }
  if (wanted.includes('baseline')) {
    if (!shop || shop.shop.orders !== baselineOrders) {
      shop?.stop();
      shop = await startShop(baselineOrders, workDir);
      shops.push(shop);
    }
    report.baseline = await measure('baseline', 'baseline', mysqlServer ? 'mysql' : 'sqlite', shop);
  }
  // Runs over the same shop must have written the same documents.
  const runs = [report.sqlite, report.mysql, report.baseline].filter((r): r is RunFigures => r !== undefined);
  for (const size of new Set(runs.map((r) => r.orders))) {
    const digests = new Set(runs.filter((r) => r.orders === size).map((r) => r.verified.documentsDigest));
    if (digests.size > 1) throw new Error(`the runs over ${size} orders wrote different documents (digests ${[...digests].join(', ')})`);
  }
  process.stdout.write(json ? `${JSON.stringify(report)}\n` : formatReport(report));
} finally {
  for (const shop of shops) shop.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
}
