/**
 * Rendering alone (`npm run bench:xml`): the SalesOrder elements of a seeded sandbox backlog,
 * written by the product's hand-made writer (src/sage `renderSalesOrder`), by the candidate that
 * would replace it, xmlbuilder2's streaming writer (bench/xml/createcb-writer.ts, not used by src/),
 * and, for comparison, by xmlbuilder2's document tree, in the same process, rounds rotating.
 * Every document is compared byte for byte first. Prints sales orders per second and MB of XML
 * per second per writer, the median of the rounds (and the spread).
 *
 *   npm run bench:xml [-- --orders 2000] [--rounds 5] [--seconds 2] [--json]
 */
import { Command, InvalidArgumentError } from 'commander';
import { renderSalesOrder, type SalesOrderDocument } from '../src/sage/sales-order-xml.ts';
import { renderXml } from './xml/createcb-writer.ts';
import { renderByTree } from './xml/other-writers.ts';
import { salesOrderContent } from './xml/sales-order-content.ts';
import { sandboxSalesOrders } from './xml/sandbox-documents.ts';

const positive = (name: string) => (value: string) => {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new InvalidArgumentError(`${name}: expected a positive number`);
  return n;
};
const program = new Command('npm run bench:xml --')
  .description(
    "Sage SalesOrder rendering: the product's hand-made writer against xmlbuilder2 createCB (candidate) and xmlbuilder2's tree, same documents, same run.",
  )
  .option('--orders <n>', 'sandbox orders to build documents from', positive('--orders'), 2000)
  .option('--rounds <n>', 'timed rounds per writer (rotating)', positive('--rounds'), 5)
  .option('--seconds <s>', 'length of one timed round', positive('--seconds'), 2)
  .option('--json', 'one JSON object on stdout')
  .parse();
const options = program.opts<{ orders: number; rounds: number; seconds: number; json?: boolean }>();

const documents = sandboxSalesOrders(options.orders);

const PRODUCT = 'hand-made (product)';
const writers = {
  [PRODUCT]: renderSalesOrder,
  'xmlbuilder2 createCB (candidate)': (d: SalesOrderDocument) => renderXml('SalesOrder', salesOrderContent(d)),
  'xmlbuilder2 tree (comparison)': (d: SalesOrderDocument) => renderByTree('SalesOrder', salesOrderContent(d)),
};
type WriterName = keyof typeof writers;
const names = Object.keys(writers) as WriterName[];

let bytes = 0;
for (const d of documents) {
  const product = writers[PRODUCT](d);
  for (const name of names) {
    const out = writers[name](d);
    if (out !== product) {
      throw new Error(
        `sales order ${d.id}: ${name} differs from the product's writer (bench/xml/sales-order-content.ts behind src/sage/sales-order-xml.ts?)\n` +
          `--- product\n${product}\n--- ${name}\n${out}`,
      );
    }
  }
  bytes += Buffer.byteLength(product);
}
const bytesPerDocument = bytes / documents.length;

/** Renders the documents over and over for about `seconds`; documents per second. */
function round(render: (d: SalesOrderDocument) => string, seconds: number): number {
  let done = 0;
  let sink = 0;
  const start = process.hrtime.bigint();
  const until = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < until) {
    for (const d of documents) sink += render(d).length;
    done += documents.length;
    now = process.hrtime.bigint();
  }
  if (sink === 0) throw new Error('nothing rendered');
  return done / (Number(now - start) / 1e9);
}

for (const name of names) round(writers[name], Math.min(1, options.seconds)); // warm-up
const rates = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<WriterName, number[]>;
for (let r = 0; r < options.rounds; r++) {
  // Rotating the order so that no writer always runs right after the same one (GC debt, caches).
  for (let i = 0; i < names.length; i++) {
    const name = names[(i + r) % names.length]!;
    rates[name].push(round(writers[name], options.seconds));
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const productRate = median(rates[PRODUCT]);
const results = names.map((name) => {
  const perSecond = median(rates[name]);
  return {
    writer: name,
    salesOrdersPerSecond: Math.round(perSecond),
    mbPerSecond: Number(((perSecond * bytesPerDocument) / 1e6).toFixed(1)),
    microsecondsPerOrder: Number((1e6 / perSecond).toFixed(1)),
    slowerThanProduct: Number((productRate / perSecond).toFixed(1)),
    rounds: rates[name].map(Math.round),
  };
});
const report = {
  documents: documents.length,
  bytesPerDocument: Math.round(bytesPerDocument),
  identical: true,
  rounds: options.rounds,
  secondsPerRound: options.seconds,
  results,
};
if (options.json) {
  process.stdout.write(`${JSON.stringify(report)}\n`);
} else {
  process.stdout.write(
    `${documents.length} sales orders (${report.bytesPerDocument} bytes of XML each on average), byte-identical from every writer; ` +
      `median of ${options.rounds} rounds of ${options.seconds} s\n`,
  );
  for (const r of results) {
    process.stdout.write(
      `${r.writer.padEnd(34)} ${String(r.salesOrdersPerSecond).padStart(8)} orders/s ${String(r.mbPerSecond).padStart(7)} MB/s ` +
        `${String(r.microsecondsPerOrder).padStart(8)} µs/order ${String(r.slowerThanProduct).padStart(6)}×   rounds: ${r.rounds.join(', ')}\n`,
    );
  }
}
