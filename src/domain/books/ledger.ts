import { formatMinorUnits } from '../money.ts';
import { NOT_IN_SAGE_PARTS, type BooksDay, type BooksDetail, type BooksLedger, type NotInSagePart } from './types.ts';

/** What Sage computes from a delivered document (see sage/document-amounts.ts). */
export interface SageAmounts {
  gross: number;
  byTaxCode: ReadonlyMap<number, { net: number; vat: number }>;
}

/** One order as the ledger sees it: stored facts only, read by the caller. */
export interface BooksOrder {
  id: number;
  number: string | null;
  /** The shop's local day it was created. */
  day: string;
  status: string;
  state: string;
  wooGrossMinor: number;
  refundsMinor: number;
  /** Changed after export and not yet acknowledged: a person must act in Sage. */
  flagged: boolean;
  changeSummary: string | null;
  lastError: string | null;
  rule: string | null;
  /** Its WooCommerce status is one of importStatuses. */
  statusExported: boolean;
  /** For a waiting order: why it has not gone yet, or null when the next sync takes it. */
  waitingReason: string | null;
  /** Its sales order has been delivered to Sage: what Sage computes from it, or why that cannot be read. */
  delivered?: { amounts: SageAmounts } | { error: string };
  /** Credit notes of its refunds: delivered (as Sage computes them) and still queued. */
  credits: { sentMinor: number; pendingMinor: number };
}

function emptyDay(date?: string): BooksDay {
  return {
    ...(date === undefined ? {} : { date }),
    orders: 0,
    wooGrossMinor: 0,
    sageGrossMinor: 0,
    notInSage: Object.fromEntries(NOT_IN_SAGE_PARTS.map((p) => [p, 0])) as Record<NotInSagePart, number>,
    differenceMinor: 0,
    refundsMinor: 0,
    creditedMinor: 0,
    refundsFlaggedMinor: 0,
    vatByTaxCode: {},
  };
}

function addInto(target: BooksDay, day: BooksDay): void {
  target.orders += day.orders;
  target.wooGrossMinor += day.wooGrossMinor;
  target.sageGrossMinor += day.sageGrossMinor;
  for (const part of NOT_IN_SAGE_PARTS) target.notInSage[part] += day.notInSage[part];
  target.differenceMinor += day.differenceMinor;
  target.refundsMinor += day.refundsMinor;
  target.creditedMinor += day.creditedMinor;
  target.refundsFlaggedMinor += day.refundsFlaggedMinor;
  for (const [code, vat] of Object.entries(day.vatByTaxCode)) addVat(target, code, vat.netMinor, vat.vatMinor);
}

function addVat(day: BooksDay, code: string, net: number, vat: number): void {
  const entry = Object.hasOwn(day.vatByTaxCode, code) ? day.vatByTaxCode[code]! : (day.vatByTaxCode[code] = { netMinor: 0, vatMinor: 0 });
  entry.netMinor += net;
  entry.vatMinor += vat;
}

/** Which not-in-Sage part an order without a delivered sales order belongs to; undefined: it is marked as in Sage. */
export function notInSagePart(order: Pick<BooksOrder, 'state' | 'statusExported'>): NotInSagePart | undefined {
  switch (order.state) {
    case 'held':
      return 'held';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    case 'allocated':
    case 'queued':
      return 'queued';
    case 'delivered':
    case 'imported':
      return undefined;
    default:
      // received / waiting (and any state a later version adds): not yet decided.
      return order.statusExported ? 'waiting' : 'statusNotExported';
  }
}

/** Why an order is not in Sage and what to do about it. */
function notInSageDetail(order: BooksOrder, part: NotInSagePart): Pick<BooksDetail, 'reason' | 'action' | 'howTo'> {
  const id = order.id;
  switch (part) {
    case 'held':
      return order.rule === 'NONE'
        ? { reason: order.lastError ?? 'no account could be chosen', action: 'assign', howTo: `woo-sage orders assign ${id} CODE` }
        : { reason: order.lastError ?? 'held', action: 'reprocess', howTo: `fix the cause, then woo-sage orders reprocess ${id}` };
    case 'failed':
      return { reason: order.lastError ?? 'failed', action: 'reprocess', howTo: `woo-sage orders reprocess ${id}` };
    case 'queued':
      return { reason: 'its sales order is queued for delivery', action: 'none', howTo: 'the next delivery sends it' };
    case 'cancelled':
      return { reason: order.lastError ?? 'cancelled here', action: 'none', howTo: 'nothing: it is not exported' };
    case 'statusNotExported':
      return {
        reason: order.waitingReason ?? `status "${order.status}" is not exported`,
        action: 'none',
        howTo: 'exported if its status becomes an import status',
      };
    case 'waiting':
      return { reason: order.waitingReason ?? 'due: the next sync processes it', action: 'none', howTo: 'the next sync takes it' };
  }
}

function differenceDetail(order: BooksOrder, sage: number | null, difference: number): Pick<BooksDetail, 'reason' | 'action' | 'howTo'> {
  const id = order.id;
  const ack = `, then woo-sage orders ack ${id}`;
  const woo = formatMinorUnits(order.wooGrossMinor);
  if (order.delivered && 'error' in order.delivered)
    return {
      reason: `its delivered sales order cannot be read: ${order.delivered.error}`,
      action: 'correct',
      howTo: `check order ${id} in Sage by hand`,
    };
  if (sage === null)
    return { reason: `marked ${order.state} but no sales order was delivered`, action: 'correct', howTo: `check order ${id} is in Sage` };
  const what = `Sage has ${formatMinorUnits(sage)}, WooCommerce ${woo}`;
  const why = order.changeSummary ? `; changed in WooCommerce after export: ${order.changeSummary.split('\n').at(-1)}` : '';
  return difference < 0
    ? { reason: `${what}${why}`, action: 'credit', howTo: `credit ${formatMinorUnits(-difference)} in Sage${ack}` }
    : { reason: `${what}${why}`, action: 'correct', howTo: `add ${formatMinorUnits(difference)} in Sage by hand${ack}` };
}

/** Adds orders up, day by day; `result()` gives the ledger. */
export class LedgerBuilder {
  private readonly days = new Map<string, BooksDay>();
  private readonly details: BooksDetail[] = [];

  constructor(private readonly options: { withDetails: boolean; days?: readonly string[] }) {
    for (const day of options.days ?? []) this.days.set(day, emptyDay(day));
  }

  private dayOf(date: string): BooksDay {
    let day = this.days.get(date);
    if (!day) this.days.set(date, (day = emptyDay(date)));
    return day;
  }

  private detail(
    order: BooksOrder,
    part: BooksDetail['part'],
    amount: number,
    sage: number | null,
    why: Pick<BooksDetail, 'reason' | 'action' | 'howTo'>,
  ) {
    if (!this.options.withDetails) return;
    this.details.push({
      date: order.day,
      orderId: order.id,
      number: order.number,
      part,
      amountMinor: amount,
      wooGrossMinor: order.wooGrossMinor,
      sageGrossMinor: sage,
      status: order.status,
      state: order.state,
      ...why,
    });
  }

  add(order: BooksOrder): void {
    const day = this.dayOf(order.day);
    day.orders += 1;
    day.wooGrossMinor += order.wooGrossMinor;
    const part = order.delivered ? undefined : notInSagePart(order);
    if (part) {
      day.notInSage[part] += order.wooGrossMinor;
      this.detail(order, part, order.wooGrossMinor, null, notInSageDetail(order, part));
    } else {
      const amounts = order.delivered && 'amounts' in order.delivered ? order.delivered.amounts : undefined;
      const sage = amounts?.gross ?? 0;
      day.sageGrossMinor += sage;
      for (const [code, vat] of amounts?.byTaxCode ?? []) addVat(day, String(code), vat.net, vat.vat);
      const difference = order.wooGrossMinor - sage;
      day.differenceMinor += difference;
      if (difference !== 0 || !amounts) {
        this.detail(
          order,
          'difference',
          difference,
          order.delivered ? sage : null,
          differenceDetail(order, order.delivered ? sage : null, difference),
        );
      }
    }
    day.refundsMinor += order.refundsMinor;
    day.creditedMinor += order.credits.sentMinor;
    if (order.flagged) {
      const uncredited = Math.max(0, order.refundsMinor - order.credits.sentMinor - order.credits.pendingMinor);
      day.refundsFlaggedMinor += uncredited;
      if (uncredited > 0) {
        this.detail(order, 'refundsFlagged', uncredited, null, {
          reason: `refunded ${formatMinorUnits(order.refundsMinor)} in WooCommerce, ${formatMinorUnits(order.credits.sentMinor)} credited in Sage`,
          action: 'credit',
          howTo: `raise a credit note for ${formatMinorUnits(uncredited)} in Sage, then woo-sage orders ack ${order.id}`,
        });
      }
    }
  }

  result(header: Pick<BooksLedger, 'currency' | 'otherCurrencies'> & { from?: string | null; to?: string | null }): BooksLedger {
    const days = [...this.days.values()].sort((a, b) => (a.date! < b.date! ? -1 : a.date! > b.date! ? 1 : 0));
    const totals = emptyDay();
    for (const day of days) addInto(totals, day);
    return {
      currency: header.currency,
      from: header.from ?? days[0]?.date ?? null,
      to: header.to ?? days.at(-1)?.date ?? null,
      days,
      totals,
      balanced: days.every((d) => d.differenceMinor === 0),
      otherCurrencies: header.otherCurrencies,
      ...(this.options.withDetails ? { details: this.details } : {}),
    };
  }
}

/** Every day from `from` to `to` inclusive (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= Date.parse(`${to}T00:00:00Z`); at += 86_400_000) {
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
}
