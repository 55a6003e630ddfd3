/**
 * The books: for a period, per day (the shop's local day an order was created) and in total, in
 * integer minor units, WooCommerce's gross, what Sage has (computed from the delivered documents),
 * what is not in Sage and why, and the difference, which is 0 when every penny is accounted for.
 * The JSON shape of `woo-sage books --json` and `GET /api/books` (CONTRACT.md).
 */

/** Why an order's money is not in Sage (yet). */
export const NOT_IN_SAGE_PARTS = ['held', 'waiting', 'queued', 'failed', 'statusNotExported', 'cancelled'] as const;
export type NotInSagePart = (typeof NOT_IN_SAGE_PARTS)[number];

export interface TaxCodeAmounts {
  netMinor: number;
  vatMinor: number;
}

export interface BooksDay {
  /** YYYY-MM-DD, the shop's local day; absent in the totals. */
  date?: string;
  /** Orders created that day (every status). */
  orders: number;
  wooGrossMinor: number;
  sageGrossMinor: number;
  notInSage: Record<NotInSagePart, number>;
  /** wooGrossMinor − sageGrossMinor − Σ notInSage. */
  differenceMinor: number;
  /** What WooCommerce refunded on the day's orders. */
  refundsMinor: number;
  /** Credit notes delivered to Sage for them, as Sage computes them. */
  creditedMinor: number;
  /** Refunds a person must credit in Sage by hand (their order is flagged and no credit note covers them). */
  refundsFlaggedMinor: number;
  /** Keyed by the Sage T-code number, over the sales orders delivered. */
  vatByTaxCode: Record<string, TaxCodeAmounts>;
}

/**
 * What a person does about an order: `assign` an account (`orders assign`), `reprocess` it after
 * fixing the cause, `credit` Sage for money it has that the shop no longer does, `correct` Sage by
 * hand (it has less than the shop, or its document cannot be read), or `none` (it moves on by itself).
 */
export type BooksAction = 'assign' | 'reprocess' | 'credit' | 'correct' | 'none';

/** One order behind a not-in-Sage amount, a difference or a refund to credit. */
export interface BooksDetail {
  date: string;
  orderId: number;
  number: string | null;
  part: NotInSagePart | 'difference' | 'refundsFlagged';
  /** The amount in this part of the ledger. */
  amountMinor: number;
  wooGrossMinor: number;
  /** What Sage computes from the delivered sales order; null when none was delivered. */
  sageGrossMinor: number | null;
  status: string;
  state: string;
  reason: string;
  action: BooksAction;
  /** The command or step that does it. */
  howTo: string;
}

export interface BooksLedger {
  currency: string | null;
  /** The first and last day of the period (those asked for, or of the orders found); null when there are none. */
  from: string | null;
  to: string | null;
  days: BooksDay[];
  totals: BooksDay;
  /** Every difference is 0. */
  balanced: boolean;
  /** Orders of the period in other currencies: each currency has its own books (`--currency`). */
  otherCurrencies: Array<{ currency: string; orders: number }>;
  /** With details: the orders behind every not-in-Sage amount, difference and refund to credit. */
  details?: BooksDetail[];
}
