import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import { ValidationError } from '../../domain/errors.ts';
import { applyImportResults, markOrderResult, type ResultsReport } from '../../pipeline/results.ts';
import { parseResultsStream, type ParsedResults, type ResultOutcome } from '../../sage/results-file.ts';
import { withContext, type CliIo } from '../context.ts';

const cliActor = () => `cli:${os.userInfo().username}`;

function parseOutcome(value: string): ResultOutcome {
  if (value !== 'imported' && value !== 'failed') throw new InvalidArgumentError('expected imported or failed');
  return value;
}

function parseOrderId(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0)
    throw new InvalidArgumentError('expected a WooCommerce order id (a positive whole number)');
  return Number(value);
}

function describe(report: ResultsReport): string {
  const lines = [
    `imported ${report.imported}, failed ${report.failed}, unchanged ${report.unchanged}, not matched ${report.unmatched.length}`,
  ];
  for (const order of report.orders) lines.push(`  order ${order.orderId}: ${order.state}`);
  for (const code of report.confirmedAccounts) lines.push(`  account ${code}: confirmed by Sage`);
  for (const miss of report.unmatched) lines.push(`  not matched: ${miss.documentId}: ${miss.reason}`);
  return lines.join('\n');
}

export function registerResults(program: Command, io: CliIo): void {
  const results = program
    .command('results')
    .description("record what Sage made of the delivered documents (the importer's results, or a person's mark)");

  results
    .command('import <file>')
    .description(
      "read the importer's result file: Zynk's success/fail XML (records with Errors failed; ones Prevent Duplicates skipped are in Sage), or CSV Id,Status[,Message][,Kind]; any other file is refused",
    )
    .option(
      '--outcome <outcome>',
      'treat every record in the file as imported or failed (a Zynk success or fail file whose records carry no <Errors>)',
      parseOutcome,
    )
    .option('--json', 'print the summary as JSON')
    .option('--actor <name>', 'who is importing (recorded in the audit log)', cliActor())
    .action(async (file: string, options: { outcome?: ResultOutcome; json?: boolean; actor: string }) => {
      let parsed: ParsedResults;
      try {
        parsed = await parseResultsStream(createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 }), {
          outcome: options.outcome,
        });
      } catch (err) {
        if (err instanceof ValidationError) throw err;
        throw new ValidationError(`results file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      for (const problem of parsed.problems) io.err(`skipped: ${problem}`);
      await withContext(io, async ({ db, clock }) => {
        const report = await applyImportResults(db, parsed.results, { clock, actor: options.actor });
        io.out(options.json ? JSON.stringify({ format: parsed.format, ...report, problems: parsed.problems }, null, 2) : describe(report));
      });
    });

  results
    .command('mark <orderId> <outcome>')
    .description(
      "mark an order's sales order imported or failed by hand (e.g. after checking Sage); imported also confirms its new customer",
    )
    .option('--message <text>', "why (shown as the order's error when failed)")
    .option('--json', 'print the summary as JSON')
    .option('--actor <name>', 'who is marking (recorded in the audit log)', cliActor())
    .action(async (orderIdText: string, outcomeText: string, options: { message?: string; json?: boolean; actor: string }) => {
      const orderId = parseOrderId(orderIdText);
      const outcome = parseOutcome(outcomeText);
      await withContext(io, async ({ db, clock }) => {
        const report = await markOrderResult(db, { orderId, outcome, message: options.message, clock, actor: options.actor });
        io.out(options.json ? JSON.stringify(report, null, 2) : describe(report));
      });
    });
}
