import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { getOrderDetail, listOrders } from '../../db/order-queries.ts';
import { ORDER_STATES, isOrderState, type OrderState } from '../../domain/order-state.ts';
import { withWaitingReasons } from '../../pipeline/waiting-reasons.ts';
import { withContext, type CliIo } from '../context.ts';
import { money, oneLine, table } from '../format.ts';
import { explainText } from '../orders-explain.ts';
import { parseOrderId } from '../order-args.ts';
import { registerOrderActions } from './orders-actions.ts';

function parseState(value: string): OrderState {
  if (!isOrderState(value)) throw new InvalidArgumentError(`expected one of ${ORDER_STATES.join(', ')}`);
  return value;
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

/** "Jo Bloggs <jo@example.com>", whichever of the two the order has. */
function buyer(order: { billingName: string | null; billingEmail: string | null }): string {
  if (order.billingName && order.billingEmail) return `${order.billingName} <${order.billingEmail}>`;
  return order.billingName ?? order.billingEmail ?? '';
}

export function registerOrders(program: Command, io: CliIo): void {
  const orders = program
    .command('orders')
    .description('support tools: list orders, explain one, reprocess, cancel, acknowledge changes after export');

  orders
    .command('list')
    .description('list orders, newest first')
    .option('--state <state>', `only orders in this state (${ORDER_STATES.join(', ')})`, parseState)
    .option('--since <date>', 'only orders whose state changed since this UTC date/time', parseSince)
    .option('--search <text>', "order id or number, billing email or buyer's name (part), or account code")
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
        await withContext(io, async ({ db, clock }) => {
          const found = await listOrders(db, {
            state: options.state,
            since: options.since,
            search: options.search,
            changedAfterExport: options.changedAfterExport ? true : undefined,
            limit: options.limit,
          });
          const rows = await withWaitingReasons(db, clock.now(), found);
          if (options.json) return io.out(JSON.stringify(rows));
          if (rows.length === 0) return io.out('no orders match');
          io.out(
            table(
              ['order', 'state', 'status', 'total', 'buyer', 'account', 'rule', 'problem'],
              rows.map((r) => [
                r.id,
                r.stateLabel + (r.changedAfterExport ? ' (changed!)' : ''),
                r.status,
                money(r.totalMinor, r.currency),
                oneLine(buyer(r), 40),
                r.accountCode,
                r.rule,
                oneLine(r.lastError ?? r.waitingReason ?? r.changeSummary, 70),
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
      await withContext(io, async ({ db, clock }) => {
        const detail = await getOrderDetail(db, orderId);
        const [order] = await withWaitingReasons(db, clock.now(), [detail.order]);
        const explained = { ...detail, order: order! };
        if (!options.json) return io.out(explainText(explained, clock.now()));
        // CONTRACT: the answer's top level says where the order is and why, without digging.
        const decision = detail.decision as { reason?: string } | null;
        const o = explained.order;
        io.out(
          JSON.stringify({
            id: o.id,
            state: o.state,
            rule: o.rule,
            accountCode: o.accountCode,
            reason: o.lastError ?? o.waitingReason ?? decision?.reason ?? null,
            ...explained,
          }),
        );
      });
    });

  registerOrderActions(orders, io);
}
