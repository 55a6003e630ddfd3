/**
 * How much SQL text one sync sends per order, by stage and statement: the text of each statement
 * and its bound values, as knex hands them to the driver (which then escapes them into one string
 * and writes it to the socket: the "SQL text building" share of the CPU profile). Not timed.
 *
 *   npx tsx bench/sql-volume.ts [--orders 2000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/connection.ts';
import { systemClock } from '../src/domain/clock.ts';
import { silentLogger } from '../src/log/logger.ts';
import { runSync } from '../src/pipeline/run-sync.ts';
import { ALL_STAGES } from '../src/pipeline/stages.ts';
import { startSandbox } from '../src/sandbox/sandbox.ts';
import { createWooClient } from '../src/woo/client.ts';
import { benchShop, prepareBenchDatabase } from './shop.ts';
const { values } = parseArgs({ options: { orders: { type: 'string', default: '2000' } } });
const N = Number(values.orders);
if (!/^\d+$/.test(values.orders!) || N < 1) {
  process.stderr.write(`--orders: expected a whole number ≥ 1 (got ${JSON.stringify(values.orders)})\n`);
  process.exit(2);
}
const sandbox = await startSandbox(benchShop(N));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlvol-'));
fs.writeFileSync(path.join(dir, 'acc.xml'), sandbox.sageAccountsXml());
// SQLite unless DATABASE_URL names another database (its tables are created: use an empty one).
const db = openDatabase(process.env.DATABASE_URL ?? `sqlite:${path.join(dir, 'db.sqlite')}`);
await prepareBenchDatabase(db, path.join(dir, 'acc.xml'));
let stage = '';
const stats = new Map<string, { n: number; sql: number; bind: number }>();
db.on('query', (q: { sql: string; bindings?: unknown[] }) => {
  const key = `${stage} ${q.sql.slice(0, 60).replace(/\s+/g, ' ')}`;
  const s = stats.get(key) ?? { n: 0, sql: 0, bind: 0 };
  s.n++;
  s.sql += q.sql.length;
  for (const b of q.bindings ?? []) s.bind += typeof b === 'string' ? b.length : 8;
  stats.set(key, s);
});
const client = createWooClient(
  { url: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret },
  { logger: silentLogger },
);
await runSync({
  db,
  client,
  clock: systemClock,
  logger: silentLogger,
  storeId: sandbox.url,
  since: new Date((sandbox.store.config.startSec - 60) * 1000),
  outboxDir: path.join(dir, 'out'),
  stages: ALL_STAGES.map((s) => ({
    name: s.name,
    run: (r) => {
      stage = s.name;
      return s.run(r);
    },
  })),
});
const rows = [...stats].sort((a, b) => b[1].sql + b[1].bind - a[1].sql - a[1].bind);
let total = 0;
for (const [, s] of rows) total += s.sql + s.bind;
console.log(
  `${N} orders: ${Math.round(total / N)} bytes of SQL text and bound values per order; by statement (bytes per order, statements, stage and start of the statement):`,
);
for (const [k, s] of rows.slice(0, 25)) console.log(String(Math.round((s.sql + s.bind) / N)).padStart(6), String(s.n).padStart(6), k);
await db.destroy();
await sandbox.close();
fs.rmSync(dir, { recursive: true, force: true });
