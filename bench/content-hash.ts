/**
 * The content hash over sandbox orders: the product's canonical JSON and hash against the previous
 * implementation (JSON.stringify for every key and value), interleaved in one process, median of
 * the rounds. Every text is compared with the previous one first: the same bytes, or no timing.
 *
 *   npx tsx bench/content-hash.ts [--orders 2000] [--rounds 7]
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { generateOrder } from '../src/sandbox/generate-order.ts';
import type { GeneratorConfig } from '../src/sandbox/generator-config.ts';
import { canonicalJson } from '../src/woo/content-hash.ts';

const { values } = parseArgs({ options: { orders: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '7' } } });
const orderCount = Number(values.orders);
const rounds = Number(values.rounds);
for (const [flag, text] of [
  ['--orders', values.orders],
  ['--rounds', values.rounds],
] as const) {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    process.stderr.write(`${flag}: expected a whole number ≥ 1 (got ${JSON.stringify(text)})\n`);
    process.exit(2);
  }
}

/** The implementation before 2026-12-04, kept to measure against. */
function previousCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + previousCanonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${previousCanonicalJson(item)}`;
    first = false;
  }
  return `${out}}`;
}

const config: GeneratorConfig = {
  seed: 20261123,
  orders: orderCount,
  customers: Math.ceil(orderCount / 3),
  startSec: Date.parse('2026-11-01T00:00:00Z') / 1000,
  secondsPerOrder: 30,
  firstOrderId: 1001,
  pricesIncludeTax: 'mixed',
  origin: 'http://127.0.0.1:1',
  profileMetaKey: 'sage_account_code',
  maxLines: 10,
};
// As the poll has them: parsed from the store's JSON.
const orders: unknown[] = Array.from({ length: orderCount }, (_, i) => JSON.parse(JSON.stringify(generateOrder(config, i))));
for (const order of orders) {
  if (canonicalJson(order) !== previousCanonicalJson(order)) throw new Error('the canonical text differs from the previous implementation');
}

const hashWith = (canonical: (v: unknown) => string) => () => {
  for (const order of orders) createHash('sha256').update(canonical(order)).digest('hex');
};
const candidates = { previous: hashWith(previousCanonicalJson), product: hashWith(canonicalJson) };
const times: Record<string, number[]> = { previous: [], product: [] };
for (let round = 0; round < rounds; round++) {
  for (const [name, run] of round % 2 === 0 ? Object.entries(candidates) : Object.entries(candidates).reverse()) {
    const started = performance.now();
    run();
    times[name]!.push(((performance.now() - started) * 1000) / orderCount);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const bytes = orders.reduce<number>((sum, o) => sum + canonicalJson(o).length, 0) / orderCount;
console.log(
  `${orderCount} sandbox orders (${Math.round(bytes)} bytes of canonical JSON each), ${rounds} rounds, median µs per order (text + SHA-256):`,
);
for (const name of Object.keys(candidates)) console.log(`  ${name.padEnd(9)} ${median(times[name]!).toFixed(1)}`);
console.log(`  ratio     ${(median(times.previous!) / median(times.product!)).toFixed(2)}× faster`);
