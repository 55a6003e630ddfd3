import type { Command } from 'commander';
import { AppError, ValidationError } from '../../domain/errors.ts';
import { acknowledgeChange } from '../../pipeline/acknowledge-change.ts';
import { assignAccount } from '../../pipeline/assign-account.ts';
import { cancelOrder } from '../../pipeline/cancel-order.ts';
import { reprocessOrders, type ReprocessReport, type ReprocessResult } from '../../pipeline/reprocess-orders.ts';
import { withContext, type CliIo } from '../context.ts';
import { CliExit, EXIT_FAILED, EXIT_USAGE } from '../exit-codes.ts';
import { cliActor, parseOrderId } from '../order-args.ts';

function describeResult(r: ReprocessResult, dryRun: boolean): string {
  const account = r.accountCode ? ` (${r.rule ? `rule ${r.rule}, ` : ''}account ${r.accountCode})` : '';
  switch (r.outcome) {
    case 'queued':
      return `order ${r.orderId}: ${r.from} → ${dryRun ? 'would be queued' : 'queued'}${account}${r.warnings.length ? `; ${r.warnings.length} warning(s): ${r.warnings.join('; ')}` : ''}`;
    case 'held':
      return `order ${r.orderId}: ${dryRun ? 'would be held' : 'held'} again: ${r.reason}`;
    case 'waiting':
      return `order ${r.orderId}: ${r.from} → ${dryRun ? 'would wait' : 'waiting'}; ${r.reason.replace(/^waiting: /, '')}`;
    case 'already-sent':
      return `order ${r.orderId}: ${r.reason}`;
    case 'not-found':
      return `order ${r.orderId}: not found: ${r.reason}`;
    default:
      return `order ${r.orderId}: not reprocessed: ${r.reason}`;
  }
}

function describeReport(report: ReprocessReport): string {
  const lines = report.dryRun ? ['dry run: nothing was changed'] : [];
  lines.push(...report.results.map((r) => describeResult(r, report.dryRun)));
  const counts = new Map<string, number>();
  for (const r of report.results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const parts = [...counts].map(([outcome, n]) => `${n} ${outcome}`);
  lines.push(`${report.results.length} order(s)${parts.length ? `: ${parts.join(', ')}` : ''}`);
  if (report.more) lines.push('more orders match: run the command again for the rest');
  return lines.join('\n');
}

/** `orders reprocess`, `orders cancel`, `orders ack`: the support actions, over the same use cases as the admin API. */
export function registerOrderActions(orders: Command, io: CliIo): void {
  registerAssign(orders, io);
  orders
    .command('reprocess')
    .description(
      'put orders back to waiting and process them now with the current settings and Sage accounts (after linking a customer, fixing a tax mapping…); a delivered sales order is never sent again',
    )
    .argument('[orderIds...]', 'WooCommerce order ids')
    .option('--all-failed', 'every failed order')
    .option('--held', 'every held order')
    .option('--dry-run', 'say what would happen, change nothing')
    .option('--reason <text>', 'why (kept in each order history)')
    .option('--json', 'print the report as JSON')
    .option('--actor <name>', 'who is reprocessing (recorded in the history and audit log)', cliActor())
    .action(
      async (
        ids: string[],
        options: { allFailed?: boolean; held?: boolean; dryRun?: boolean; reason?: string; json?: boolean; actor: string },
      ) => {
        const orderIds = ids.map(parseOrderIdArgument);
        if (orderIds.length === 0 && !options.allFailed && !options.held) {
          throw new ValidationError('name the orders to reprocess (order ids), or use --all-failed and/or --held');
        }
        await withContext(io, async ({ db, clock }) => {
          const report = await reprocessOrders(
            db,
            { ids: orderIds, allFailed: options.allFailed, held: options.held },
            { clock, actor: options.actor, reason: options.reason, dryRun: options.dryRun },
          );
          io.out(options.json ? JSON.stringify(report, null, 2) : describeReport(report));
          if (report.results.some((r) => r.outcome === 'error')) throw new CliExit(EXIT_FAILED);
          if (report.results.some((r) => r.outcome === 'not-found')) throw new CliExit(EXIT_USAGE);
        });
      },
    );

  orders
    .command('cancel')
    .description(
      'cancel an order here: its documents not yet delivered are taken out of the queue; an order Sage already has must be cancelled or credited in Sage',
    )
    .argument('<orderId>', 'WooCommerce order id', parseOrderId)
    .option('--reason <text>', 'why (kept in the history and audit log)')
    .option('--json', 'print the result as JSON')
    .option('--actor <name>', 'who is cancelling (recorded in the history and audit log)', cliActor())
    .action(async (orderId: number, options: { reason?: string; json?: boolean; actor: string }) => {
      await withContext(io, async ({ db, clock }) => {
        const result = await cancelOrder(db, { orderId, actor: options.actor, reason: options.reason, clock });
        if (options.json) return io.out(JSON.stringify(result, null, 2));
        io.out(
          result.status === 'already-cancelled'
            ? `order ${orderId} was already cancelled`
            : `order ${orderId} cancelled (was ${result.from}); ${result.cancelledJobs.length} document(s) taken out of the queue`,
        );
      });
    });

  orders
    .command('ack')
    .description(
      'acknowledge orders changed in WooCommerce after export, once Sage has been put right: records who, when and the note, and clears the flag',
    )
    .argument('<orderIds...>', 'WooCommerce order ids')
    .option('--note <text>', 'what was done in Sage (kept with the acknowledgement)')
    .option('--json', 'print the results as JSON')
    .option('--actor <name>', 'who is acknowledging (recorded with it and in the audit log)', cliActor())
    .action(async (ids: string[], options: { note?: string; json?: boolean; actor: string }) => {
      const orderIds = ids.map(parseOrderIdArgument);
      await withContext(io, async ({ db, clock }) => {
        const results: unknown[] = [];
        let refused = 0;
        for (const orderId of orderIds) {
          try {
            const result = await acknowledgeChange(db, { orderId, actor: options.actor, note: options.note, clock });
            results.push(result);
            if (!options.json) {
              io.out(`order ${orderId}: acknowledged ${result.acknowledged.length} change(s)`);
              for (const change of result.acknowledged) io.out(`  ${change.detectedAt}  ${change.summary}`);
            }
          } catch (err) {
            if (!(err instanceof AppError) || err.status >= 500) throw err;
            refused += 1;
            results.push({ orderId, error: { code: err.code, message: err.message } });
            io.err(`order ${orderId}: ${err.message}`);
          }
        }
        if (options.json) io.out(JSON.stringify(results, null, 2));
        if (refused > 0) throw new CliExit(EXIT_USAGE);
      });
    });
}

/** `orders assign`: a person gives an order its account (rule MANUAL), processed at once. */
function registerAssign(orders: Command, io: CliIo): void {
  orders
    .command('assign')
    .description(
      "give an order its Sage account by hand (a guest, a bad code in the order's meta, an ambiguous email): rule MANUAL, audited, and the order is processed at once",
    )
    .argument('<orderId>', 'WooCommerce order id', parseOrderId)
    .argument('<code>', 'the Sage account code (in the account mirror)')
    .option('--reason <text>', 'why (kept in the decision trace, history and audit log)')
    .option('--remember-email', "also give this account to later orders from the order's billing email")
    .option('--json', 'print the result as JSON')
    .option('--actor <name>', 'who is assigning (recorded in the trace and audit log)', cliActor())
    .action(async (orderId: number, code: string, options: { reason?: string; rememberEmail?: boolean; json?: boolean; actor: string }) => {
      await withContext(io, async ({ db, clock }) => {
        const assigned = await assignAccount(db, {
          orderId,
          code,
          reason: options.reason,
          rememberEmail: options.rememberEmail,
          actor: options.actor,
          clock,
        });
        if (options.json) return io.out(JSON.stringify(assigned, null, 2));
        io.out(`order ${orderId}: account ${assigned.accountCode} assigned by ${options.actor}`);
        if (assigned.rememberedEmail) io.out(`  later orders from ${assigned.rememberedEmail} get ${assigned.accountCode} too`);
        io.out(`  ${describeResult(assigned.result, false)}`);
        if (assigned.result.outcome === 'error') throw new CliExit(EXIT_FAILED);
      });
    });
}

/** Variadic arguments are parsed here, so one bad id names itself. */
function parseOrderIdArgument(value: string): number {
  try {
    return parseOrderId(value);
  } catch {
    throw new ValidationError(`"${value}" is not a WooCommerce order id (a positive whole number)`);
  }
}
