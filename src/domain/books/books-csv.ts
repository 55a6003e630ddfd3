import { csvFile, csvNumber } from '../csv.ts';
import { formatMinorUnits } from '../money.ts';
import { NOT_IN_SAGE_PARTS, type BooksDay, type BooksDetail, type BooksLedger } from './types.ts';

const amount = (minor: number) => csvNumber(formatMinorUnits(minor));

const PART_COLUMNS: Record<(typeof NOT_IN_SAGE_PARTS)[number], string> = {
  held: 'held',
  waiting: 'waiting',
  queued: 'queued',
  failed: 'failed',
  statusNotExported: 'status_not_exported',
  cancelled: 'cancelled',
};

/** T-codes in numeric order: T0, T1, T2, T5, T9. */
function taxCodes(ledger: BooksLedger): string[] {
  return Object.keys(ledger.totals.vatByTaxCode).sort((a, b) => Number(a) - Number(b));
}

/** The ledger as a spreadsheet: one row per day and a total row, amounts in the currency's units (12.34). */
export function booksCsv(ledger: BooksLedger): string {
  const codes = taxCodes(ledger);
  const header = [
    'date',
    'currency',
    'orders',
    'woocommerce_gross',
    'sage_gross',
    ...NOT_IN_SAGE_PARTS.map((p) => `not_in_sage_${PART_COLUMNS[p]}`),
    'difference',
    'refunds',
    'credited',
    'refunds_flagged',
    ...codes.flatMap((c) => [`T${c}_net`, `T${c}_vat`]),
  ];
  const row = (label: string, d: BooksDay) => [
    label,
    ledger.currency ?? '',
    d.orders,
    amount(d.wooGrossMinor),
    amount(d.sageGrossMinor),
    ...NOT_IN_SAGE_PARTS.map((p) => amount(d.notInSage[p])),
    amount(d.differenceMinor),
    amount(d.refundsMinor),
    amount(d.creditedMinor),
    amount(d.refundsFlaggedMinor),
    ...codes.flatMap((c) => {
      const vat = Object.hasOwn(d.vatByTaxCode, c) ? d.vatByTaxCode[c]! : { netMinor: 0, vatMinor: 0 };
      return [amount(vat.netMinor), amount(vat.vatMinor)];
    }),
  ];
  return csvFile([header, ...ledger.days.map((d) => row(d.date ?? '', d)), row('total', ledger.totals)]);
}

/** The orders behind the amounts: one row each, with the reason and the action. */
export function booksDetailsCsv(details: readonly BooksDetail[], currency: string | null): string {
  const header = [
    'date',
    'order',
    'number',
    'part',
    'currency',
    'amount',
    'woocommerce_gross',
    'sage_gross',
    'status',
    'state',
    'reason',
    'action',
    'how_to',
  ];
  return csvFile([
    header,
    ...details.map((d) => [
      d.date,
      d.orderId,
      d.number,
      d.part,
      currency ?? '',
      amount(d.amountMinor),
      amount(d.wooGrossMinor),
      d.sageGrossMinor === null ? '' : amount(d.sageGrossMinor),
      d.status,
      d.state,
      d.reason,
      d.action,
      d.howTo,
    ]),
  ]);
}
