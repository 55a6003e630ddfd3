import { csvLines } from '../../../../domain/csv.ts';
import { api } from '../api.ts';
import type { RouteKey, Session } from '../session.ts';
import type { OrderSummary } from '../types.ts';

export interface BulkActionContext {
  /** Reloads the orders table (after an action changed orders). */
  reload(): Promise<void>;
}

/**
 * Something a person can do to the selected orders. The bar above the orders table offers every
 * action the signed-in user may use: one with a `route` only when their role may call it (per
 * /api/openapi.json), so an action appears as soon as its route exists on the server.
 *
 * To add one: append to BULK_ACTIONS (see `reprocess` below: a route, `forOne` for the drawer, and a
 * run that calls the API, reloads the table and says what happened).
 */
export interface BulkAction {
  id: string;
  /** The button's text. */
  label: string;
  /** The API route the action calls; omitted for actions done in the page itself. */
  route?: RouteKey;
  /** Also offered in an order's detail drawer, for that one order. */
  forOne?: boolean;
  /** Does it; the returned sentence is shown and announced as the result. Throw to report failure. */
  run(orders: OrderSummary[], ctx: BulkActionContext): Promise<string>;
}

function decimal(minor: number | null): string {
  if (minor === null) return '';
  const abs = Math.abs(minor);
  return `${minor < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function ordersCsv(orders: OrderSummary[]): string {
  const header = [
    'order',
    'number',
    'state',
    'woocommerce_status',
    'total',
    'currency',
    'account',
    'rule',
    'billing_email',
    'problem',
    'state_changed_at',
  ];
  const rows = orders.map((o) => [
    o.id,
    o.number,
    o.state,
    o.status,
    decimal(o.totalMinor),
    o.currency,
    o.accountCode,
    o.rule,
    o.billingEmail,
    o.lastError ?? o.changeSummary,
    o.stateChangedAt,
  ]);
  return csvLines([header, ...rows]);
}

const downloadCsv: BulkAction = {
  id: 'download-csv',
  label: 'Download as CSV',
  async run(orders) {
    const url = URL.createObjectURL(new Blob([ordersCsv(orders)], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `orders-${new Date().toISOString().slice(0, 10)}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return `Downloaded ${orders.length} order${orders.length === 1 ? '' : 's'} as CSV.`;
  },
};

interface ReprocessAnswer {
  results: Array<{ orderId: number; outcome: string; reason: string }>;
  more: boolean;
}

/** POST /api/orders/reprocess for the selection: each order is processed again now; the sentence says what became of them. */
const reprocess: BulkAction = {
  id: 'reprocess',
  label: 'Reprocess',
  route: { method: 'post', path: '/api/orders/reprocess' },
  forOne: true,
  async run(orders, ctx) {
    const answer = await api.post<ReprocessAnswer>('/api/orders/reprocess', { ids: orders.map((o) => o.id) });
    await ctx.reload();
    const counts = new Map<string, number>();
    for (const r of answer.results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
    const parts = [...counts].map(([outcome, n]) => `${n} ${outcome.replace('-', ' ')}`);
    const problems = answer.results.filter((r) => r.outcome !== 'queued').slice(0, 3);
    const detail = problems.map((r) => ` Order ${r.orderId}: ${r.reason}.`).join('');
    return `Reprocessed ${answer.results.length} order${answer.results.length === 1 ? '' : 's'}: ${parts.join(', ')}.${detail}`;
  },
};

export const BULK_ACTIONS: BulkAction[] = [downloadCsv, reprocess];

export function availableActions(session: Session, options: { forOne?: boolean } = {}): BulkAction[] {
  return BULK_ACTIONS.filter((a) => (!a.route || session.can(a.route)) && (!options.forOne || a.forOne));
}
