import { isDecimalText, toMinorUnits } from '../domain/money.ts';
import { wooGmtToIso } from './schemas.ts';

const LOCAL_DAY = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]|$)/;

/** "2026-03-01" when `text` starts with a real calendar day, else undefined. */
function calendarDay(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const m = LOCAL_DAY.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d] = m;
  const at = new Date(`${y}-${mo}-${d}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === `${y}-${mo}-${d}` ? `${y}-${mo}-${d}` : undefined;
}

/**
 * The books day of an order: the day it was created in the shop's own timezone, which is what
 * WooCommerce's `date_created` carries (no zone designator), and the day a Sage document is dated.
 * `date_created_gmt` is UTC: an order placed at 00:30 in London in summer is the previous day there.
 * Without a usable `date_created`, the UTC day of `date_created_gmt`, then of `fallbackIso` (when
 * the order was first seen), so every order has a day and is counted somewhere.
 */
export function booksDayOf(raw: unknown, fallbackIso: string): string {
  const order = (raw ?? {}) as Record<string, unknown>;
  const local = calendarDay(order.date_created);
  if (local) return local;
  const gmt = typeof order.date_created_gmt === 'string' ? wooGmtToIso(order.date_created_gmt) : undefined;
  return (gmt ?? fallbackIso).slice(0, 10);
}

/**
 * What WooCommerce has refunded on an order, in minor units (a positive amount): Σ |refunds[].total|.
 * The order's `total` does not include its refunds. A refund whose total cannot be read counts 0
 * (the refunds stage reads each refund in full and holds one it cannot use).
 */
export function refundedMinorOf(raw: unknown): number {
  const refunds = (raw as { refunds?: unknown } | null)?.refunds;
  if (!Array.isArray(refunds)) return 0;
  let sum = 0;
  for (const refund of refunds) {
    const total = (refund as { total?: unknown } | null)?.total;
    if (!isDecimalText(total)) continue;
    try {
      sum += Math.abs(toMinorUnits(total as string | number));
    } catch {
      // an amount too large to be money: counted as unreadable
    }
  }
  return sum;
}
