import { formatMinorUnits, toMinorUnits } from '../domain/money.ts';
import type { WooOrder } from './schemas.ts';

export interface RefundFlag {
  /** What happened: "refund #9000001 22.00 made before export (Damaged)". */
  summary: string;
  /** What a person must do in Sage. */
  action: string;
}

/**
 * A refund made before the order's first export, when refunds are not exported as credit notes:
 * WooCommerce's `total` does not include it, so the sales order goes to Sage for the full amount
 * and the refund must be credited there by a person, exactly as a refund made after export is.
 * Null when the order carries no refunds.
 */
export function refundsBeforeExport(order: WooOrder, accountCode: string | null): RefundFlag | null {
  const refunds = order.refunds;
  if (refunds.length === 0) return null;
  // Refund summaries carry negative totals ("-22.00"); the schema has checked they are amounts.
  const amounts = refunds.map((r) => Math.abs(toMinorUnits(r.total)));
  const refunded = formatMinorUnits(amounts.reduce((a, b) => a + b, 0));
  const each = refunds.map((r, i) => {
    // Refund reasons are decoded where WooCommerce data enters (schemas.ts).
    const reason = r.reason.trim();
    return `refund #${r.id} ${formatMinorUnits(amounts[i]!)} made before export${reason ? ` (${reason})` : ''}`;
  });
  const which = refunds.map((r) => `refund #${r.id}`).join(', ');
  const account = accountCode ? ` (account ${accountCode})` : '';
  return {
    summary: each.join('; '),
    action: `credit it in Sage: raise a credit note for ${refunded} (${which})${account}; the sales order is for the order's full ${formatMinorUnits(toMinorUnits(order.total))}`,
  };
}
