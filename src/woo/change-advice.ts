import { formatMinorUnits, isDecimalText, toMinorUnits } from '../domain/money.ts';

type Json = Record<string, unknown>;

export interface AdviceContext {
  orderId: number;
  /** The connector's state: `queued` means the sales order has not left yet. */
  state: string;
  accountCode: string | null;
  /** Refunds become credit notes automatically (setting exportRefunds). */
  exportRefunds: boolean;
}

const asObject = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const asList = (v: unknown): Json[] => (Array.isArray(v) ? v.map(asObject) : []);
const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const minor = (v: unknown) => (isDecimalText(v) ? toMinorUnits(v as string | number) : 0);

const ACTIVE = new Set(['processing', 'completed', 'on-hold']);
/** Cancelled, or deleted (in the bin): the sale is off. */
const GONE = new Set(['cancelled', 'trash']);

/**
 * What a person must do in Sage about an order that changed in WooCommerce after its sales order
 * was queued: cancel it, raise a credit note (or check the one exported), amend it, or re-enter it.
 * While the sales order is still in the queue, the fix is here: reprocess or cancel it.
 * Returns null when nothing in Sage depends on the change.
 */
export function adviseOnChange(beforeRaw: unknown, afterRaw: unknown, ctx: AdviceContext): string | null {
  const before = asObject(beforeRaw);
  const after = asObject(afterRaw);
  const id = ctx.orderId;
  const statusBefore = text(before.status);
  const statusAfter = text(after.status);
  const account = ctx.accountCode ? ` (account ${ctx.accountCode})` : '';

  const refundsBefore = new Set(asList(before.refunds).map((r) => text(r.id)));
  const added = asList(after.refunds).filter((r) => !refundsBefore.has(text(r.id)));
  const refunded = added.reduce((sum, r) => sum + Math.abs(minor(r.total)), 0);
  const total = minor(after.total);
  const which = added.length > 0 ? ` (${added.map((r) => `refund #${text(r.id)}`).join(', ')})` : '';

  if (ctx.state === 'queued') {
    if (statusAfter === 'cancelled' || statusAfter === 'refunded' || statusAfter === 'failed' || statusAfter === 'trash')
      return `its sales order has not left yet: cancel it here (woo-sage orders cancel ${id})`;
    // WooCommerce's total leaves refunds out: a reprocessed sales order still goes for the full amount.
    const credit =
      added.length > 0 && !ctx.exportRefunds
        ? `; either way the sales order is for the full total, so raise a credit note for ${formatMinorUnits(refunded)}${which}${account} in Sage`
        : '';
    return `its sales order has not left yet: reprocess it to send the changed order (woo-sage orders reprocess ${id}), or cancel it here${credit}`;
  }

  const advice: string[] = [];

  if (GONE.has(statusAfter) && !GONE.has(statusBefore)) {
    advice.push(
      `${statusAfter === 'trash' ? 'the order was deleted in WooCommerce (moved to the bin): ' : ''}cancel sales order ${id}${account} in Sage; if it has been invoiced, raise a credit note for ${formatMinorUnits(total)}`,
    );
  } else if (added.length > 0 || (statusAfter === 'refunded' && statusBefore !== 'refunded')) {
    const amount = added.length > 0 ? formatMinorUnits(refunded) : formatMinorUnits(total);
    advice.push(
      ctx.exportRefunds && added.length > 0
        ? `a credit note for ${amount}${which} is exported to Sage (exportRefunds): check it is there; if the refund was not itemised, raise it by hand`
        : `raise a credit note for ${amount}${which}${account} in Sage${statusAfter === 'refunded' ? ', or cancel the sales order if it has not been invoiced' : ''}`,
    );
  } else if (ACTIVE.has(statusAfter) && !ACTIVE.has(statusBefore) && statusBefore !== '') {
    advice.push(
      `the order is active again in WooCommerce: if it was cancelled in Sage, enter it there again (sales order ${id} is not sent twice)`,
    );
  }

  // Only what differs is named: an amendment that would change nothing in Sage is never asked for.
  const differences: string[] = [];
  if (minor(before.total) !== total) differences.push(`total now ${formatMinorUnits(total)}, was ${formatMinorUnits(minor(before.total))}`);
  if (minor(before.total_tax) !== minor(after.total_tax))
    differences.push(`VAT now ${formatMinorUnits(minor(after.total_tax))}, was ${formatMinorUnits(minor(before.total_tax))}`);
  const changedLines = (
    [
      ['line_items', 'lines'],
      ['shipping_lines', 'shipping'],
      ['fee_lines', 'fees'],
    ] as const
  ).filter(([field]) => linesKey(before[field]) !== linesKey(after[field]));
  if (changedLines.length > 0)
    differences.push(
      `${changedLines.map(([, shown]) => shown).join(', ')} changed${differences.length === 0 ? `, total unchanged at ${formatMinorUnits(total)}` : ''}`,
    );
  if (differences.length > 0 && !GONE.has(statusAfter)) {
    advice.push(`amend sales order ${id} in Sage to match WooCommerce (${differences.join('; ')})`);
  }
  return advice.length > 0 ? advice.join('; ') : null;
}

/** Lines compared on what Sage holds: id, quantity and amounts. */
function linesKey(lines: unknown): string {
  return asList(lines)
    .map((l) => `${text(l.id)}:${text(l.quantity)}:${minor(l.total)}:${minor(l.total_tax)}`)
    .sort()
    .join('|');
}
