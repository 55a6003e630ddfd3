import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { getOrderDetail, listOrders, type OrderDetail } from '../../db/order-queries.ts';
import { ORDER_STATES, isOrderState, type OrderState } from '../../domain/order-state.ts';
import { withContext, type CliIo } from '../context.ts';
import { money, oneLine, table } from '../format.ts';

function parseState(value: string): OrderState {
  if (!isOrderState(value)) throw new InvalidArgumentError(`expected one of ${ORDER_STATES.join(', ')}`);
  return value;
}

function parseOrderId(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0)
    throw new InvalidArgumentError('expected a WooCommerce order id (a positive whole number)');
  return Number(value);
}

function parseSince(value: string): string {
  const at = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(at.getTime())) throw new InvalidArgumentError('expected a date such as 2026-11-01 or 2026-11-01T09:00:00Z (UTC)');
  return at.toISOString();
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('expected a whole number 1-1000');
  return n;
}

function explainText(detail: OrderDetail): string {
  const o = detail.order;
  const lines = [
    `Order ${o.id}${o.number && o.number !== String(o.id) ? ` (number ${o.number})` : ''}: ${o.state}, WooCommerce status ${o.status}`,
    `  total ${money(o.totalMinor, o.currency)}, buyer ${o.customerId > 0 ? `customer ${o.customerId}` : 'guest'} <${o.billingEmail ?? ''}>`,
    `  account ${o.accountCode ?? '(none)'}${o.rule ? ` by rule ${o.rule}` : ''}`,
  ];
  if (o.lastError) lines.push(`  problem: ${o.lastError}`);
  if (o.changedAfterExport) lines.push(`  CHANGED AFTER EXPORT: ${o.changeSummary ?? 'see history'} (needs a decision in Sage)`);
  const decision = detail.decision as {
    reason?: string;
    trace?: Array<{ step?: string; outcome?: string; detail?: string } | string>;
  } | null;
  if (decision?.reason) lines.push('', 'Why:', `  ${decision.reason}`);
  if (decision?.trace?.length) {
    for (const step of decision.trace)
      lines.push(`  - ${typeof step === 'string' ? step : Object.values(step).filter(Boolean).join(': ')}`);
  }
  lines.push('', 'History:');
  for (const e of detail.events) lines.push(`  ${e.at}  ${e.from ?? '(new)'} → ${e.to}  ${e.reason ?? ''}  [${e.actor}]`);
  lines.push('', 'Documents:');
  if (detail.documents.length === 0) lines.push('  none queued');
  for (const d of detail.documents) {
    const where = d.batchName ? `batch ${d.batchName}` : 'not yet in a batch';
    lines.push(
      `  ${d.kind} ${d.jobKey}: ${d.state}, ${where}${d.deliveredAt ? `, delivered ${d.deliveredAt}` : ''}, attempts ${d.attempts}`,
    );
    if (d.lastError) lines.push(`    last error: ${d.lastError}`);
  }
  return lines.join('\n');
}

export function registerOrders(program: Command, io: CliIo): void {
  const orders = program.command('orders').description('support tools: list orders, explain one, reprocess');

  orders
    .command('list')
    .description('list orders, newest first')
    .option('--state <state>', `only orders in this state (${ORDER_STATES.join(', ')})`, parseState)
    .option('--since <date>', 'only orders whose state changed since this UTC date/time', parseSince)
    .option('--search <text>', 'order id or number, billing email (part), or account code')
    .option('--changed-after-export', 'only orders changed in WooCommerce after their export')
    .option('--limit <n>', 'at most this many (1-1000)', parseLimit, 50)
    .option('--json', 'print JSON')
    .action(
      async (options: {
        state?: OrderState;
        since?: string;
        search?: string;
        changedAfterExport?: boolean;
        limit: number;
        json?: boolean;
      }) => {
        await withContext(io, async ({ db }) => {
          const rows = await listOrders(db, {
            state: options.state,
            since: options.since,
            search: options.search,
            changedAfterExport: options.changedAfterExport ? true : undefined,
            limit: options.limit,
          });
          if (options.json) return io.out(JSON.stringify(rows));
          if (rows.length === 0) return io.out('no orders match');
          io.out(
            table(
              ['order', 'state', 'status', 'total', 'account', 'rule', 'problem'],
              rows.map((r) => [
                r.id,
                r.state + (r.changedAfterExport ? ' (changed!)' : ''),
                r.status,
                money(r.totalMinor, r.currency),
                r.accountCode,
                r.rule,
                oneLine(r.lastError ?? r.changeSummary, 70),
              ]),
            ),
          );
        });
      },
    );

  orders
    .command('explain')
    .description('why an order is where it is: decision trace, every state change, its documents')
    .argument('<orderId>', 'WooCommerce order id', parseOrderId)
    .option('--json', 'print JSON')
    .action(async (orderId: number, options: { json?: boolean }) => {
      await withContext(io, async ({ db }) => {
        const detail = await getOrderDetail(db, orderId);
        io.out(options.json ? JSON.stringify(detail) : explainText(detail));
      });
    });
}
