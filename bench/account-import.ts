/**
 * How fast a large Sage customer export loads into the mirror, and how much memory it takes.
 *   npx tsx bench/account-import.ts [--customers 100000] [--json]
 * Runs on a fresh SQLite file, and on MariaDB/MySQL too when MYSQL_TEST_URL is set.
 */
import { createTestDatabase } from '../test/helpers/test-db.ts';
import { systemClock } from '../src/domain/clock.ts';
import { importAccounts } from '../src/pipeline/import-accounts.ts';

const args = process.argv.slice(2);
const count = Number(args[args.indexOf('--customers') + 1] ?? 0) || 100_000;

async function* exportXml(n: number): AsyncGenerator<string> {
  yield '<?xml version="1.0"?>\n<Company xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Customers>\n';
  const chunk: string[] = [];
  for (let i = 0; i < n; i++) {
    chunk.push(
      `<Customer><Id>${i}</Id><AccountReference>C${String(i).padStart(7, '0')}</AccountReference><CompanyName>Customer ${i} Ltd</CompanyName>` +
        `<CustomerInvoiceAddress><Forename>Sam</Forename><Surname>Buyer${i}</Surname><Address1>${i} High Street</Address1><Town>Leeds</Town>` +
        `<Postcode>LS1 1AA</Postcode><Country>GB</Country><Email>buyer${i}@example.com</Email><Email2>accounts${i % 1000}@example.com</Email2></CustomerInvoiceAddress>` +
        `<TaxCode>1</TaxCode><Currency>GBP</Currency></Customer>\n`,
    );
    if (chunk.length === 1000) yield chunk.splice(0).join('');
  }
  yield `${chunk.join('')}</Customers></Company>\n`;
}

async function run(dialect: 'sqlite' | 'mysql') {
  const t = await createTestDatabase(dialect);
  let peakRss = 0;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  try {
    const started = performance.now();
    const summary = await importAccounts(t.db, exportXml(count), { all: true, actor: 'bench', clock: systemClock, fileName: 'bench.xml' });
    const seconds = (performance.now() - started) / 1000;
    const again = performance.now();
    await importAccounts(t.db, exportXml(count), { all: true, actor: 'bench', clock: systemClock, fileName: 'bench.xml' });
    const reimportSeconds = (performance.now() - again) / 1000;
    return {
      customers: summary.customers,
      emails: summary.emails,
      seconds: Number(seconds.toFixed(2)),
      customersPerSecond: Math.round(summary.customers / seconds),
      reimportSeconds: Number(reimportSeconds.toFixed(2)),
      peakRssMb: Math.round(Math.max(peakRss, process.memoryUsage().rss) / 1e6),
    };
  } finally {
    clearInterval(timer);
    await t.destroy();
  }
}

const results: Record<string, unknown> = { sqlite: await run('sqlite') };
if (process.env.MYSQL_TEST_URL) results.mysql = await run('mysql');
console.log(args.includes('--json') ? JSON.stringify(results) : JSON.stringify(results, null, 2));
