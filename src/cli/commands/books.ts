import { Option, type Command } from 'commander';
import { booksCsv, booksDetailsCsv } from '../../domain/books/books-csv.ts';
import { checkBooksRequest } from '../../domain/books/period.ts';
import { NOT_IN_SAGE_PARTS, type BooksDay, type BooksLedger } from '../../domain/books/types.ts';
import { buildBooks } from '../../pipeline/books.ts';
import { withContext, type CliIo } from '../context.ts';
import { money, oneLine, table } from '../format.ts';

interface BooksCliOptions {
  from?: string;
  to?: string;
  currency?: string;
  json?: boolean;
  csv?: boolean;
  details?: boolean;
}

const notInSage = (d: BooksDay) => NOT_IN_SAGE_PARTS.reduce((sum, p) => sum + d.notInSage[p], 0);

function booksText(ledger: BooksLedger): string[] {
  const cur = ledger.currency;
  const m = (minor: number) => money(minor, null);
  const row = (label: string, d: BooksDay) => [
    label,
    d.orders,
    m(d.wooGrossMinor),
    m(d.sageGrossMinor),
    m(notInSage(d)),
    d.differenceMinor === 0 ? '0' : m(d.differenceMinor),
    m(d.refundsMinor),
    m(d.creditedMinor),
    m(d.refundsFlaggedMinor),
  ];
  const lines = [
    `books ${ledger.from ?? '…'} to ${ledger.to ?? '…'}${cur ? ` in ${cur}` : ''} (days are the shop's local days)`,
    table(
      ['day', 'orders', 'shop', 'sage', 'not in sage', 'difference', 'refunds', 'credited', 'to credit'],
      [...ledger.days.map((d) => row(d.date ?? '', d)), row('total', ledger.totals)],
    ),
    '',
    `not in Sage: ${NOT_IN_SAGE_PARTS.map((p) => `${p} ${m(ledger.totals.notInSage[p])}`).join(', ')}`,
  ];
  const codes = Object.keys(ledger.totals.vatByTaxCode).sort((a, b) => Number(a) - Number(b));
  if (codes.length > 0) {
    lines.push(
      'VAT by Sage tax code (delivered sales orders):',
      table(
        ['code', 'net', 'vat'],
        codes.map((c) => [`T${c}`, m(ledger.totals.vatByTaxCode[c]!.netMinor), m(ledger.totals.vatByTaxCode[c]!.vatMinor)]),
      ),
    );
  }
  const off = ledger.days.filter((d) => d.differenceMinor !== 0);
  lines.push(
    ledger.balanced
      ? 'balanced: every penny of the shop is in Sage or accounted for'
      : `NOT balanced: a difference on ${off.length} day(s) (${off.map((d) => d.date).join(', ')})${ledger.details ? '' : '; --details lists the orders'}`,
  );
  for (const other of ledger.otherCurrencies) lines.push(`${other.orders} order(s) in ${other.currency}: see --currency ${other.currency}`);
  if (ledger.details?.length) {
    lines.push(
      '',
      table(
        ['day', 'order', 'part', 'amount', 'state', 'action', 'reason', 'how'],
        ledger.details.map((d) => [d.date, d.orderId, d.part, m(d.amountMinor), d.state, d.action, oneLine(d.reason, 70), d.howTo]),
      ),
    );
  }
  return lines;
}

export function registerBooks(program: Command, io: CliIo): void {
  program
    .command('books')
    .description(
      "the reconciliation ledger: per day (the shop's local day), the shop's gross against Sage's, what is not in Sage and why, the difference, refunds and VAT by tax code; from stored data only",
    )
    .option('--from <date>', 'first day, YYYY-MM-DD (default: the first day with orders)')
    .option('--to <date>', 'last day, YYYY-MM-DD (default: the last day with orders)')
    .option('--currency <code>', 'the currency of the books (default: the one most orders are in)')
    .addOption(new Option('--json', 'print one JSON object').conflicts('csv'))
    .addOption(new Option('--csv', 'print CSV for a spreadsheet (UTF-8 with BOM, CRLF); with --details, the orders').conflicts('json'))
    .option('--details', 'list the orders behind every not-in-Sage amount, difference and refund to credit, with the reason and the action')
    .action(async (options: BooksCliOptions) => {
      // Checked before the database is opened: a bad date is a usage error (exit 2).
      const request = checkBooksRequest({ from: options.from, to: options.to, currency: options.currency });
      await withContext(io, async ({ db, clock }) => {
        const ledger = await buildBooks(db, { ...request, details: options.details === true, now: clock.now() });
        if (options.json) io.out(JSON.stringify(ledger, null, 2));
        else if (options.csv) io.out(options.details ? booksDetailsCsv(ledger.details ?? [], ledger.currency) : booksCsv(ledger));
        else io.out(booksText(ledger).join('\n'));
      });
    });
}
