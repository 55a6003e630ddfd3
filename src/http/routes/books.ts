import { z } from 'zod';
import { ANY_ROLE } from '../../domain/roles.ts';
import { MAX_BOOKS_DAYS } from '../../domain/books/period.ts';
import { NOT_IN_SAGE_PARTS } from '../../domain/books/types.ts';
import { buildBooks } from '../../pipeline/books.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';

const minor = z.number().int();

const daySchema = z.object({
  date: z.string().optional().describe("the shop's local day, YYYY-MM-DD (absent in totals)"),
  orders: z.number().int().describe('orders created that day, every status'),
  wooGrossMinor: minor.describe("WooCommerce's total of those orders"),
  sageGrossMinor: minor.describe('gross of their sales orders delivered to Sage, as Sage computes it from the documents'),
  notInSage: z.object(
    Object.fromEntries(NOT_IN_SAGE_PARTS.map((p) => [p, minor])) as Record<(typeof NOT_IN_SAGE_PARTS)[number], typeof minor>,
  ),
  differenceMinor: minor.describe('wooGrossMinor − sageGrossMinor − Σ notInSage: 0 when everything is accounted for'),
  refundsMinor: minor,
  creditedMinor: minor.describe('credit notes delivered to Sage for those refunds, as Sage computes them'),
  refundsFlaggedMinor: minor.describe('refunds a person must credit in Sage by hand'),
  vatByTaxCode: z
    .record(z.string(), z.object({ netMinor: minor, vatMinor: minor }))
    .describe('by Sage T-code, over the delivered sales orders'),
});

const detailSchema = z.object({
  date: z.string(),
  orderId: z.number().int(),
  number: z.string().nullable(),
  part: z.enum([...NOT_IN_SAGE_PARTS, 'difference', 'refundsFlagged']),
  amountMinor: minor,
  wooGrossMinor: minor,
  sageGrossMinor: minor.nullable(),
  status: z.string(),
  state: z.string(),
  reason: z.string(),
  action: z.enum(['assign', 'reprocess', 'credit', 'correct', 'none']),
  howTo: z.string(),
});

const day = z.string().max(40).describe('YYYY-MM-DD');

export const booksRoutes: RouteModule = ({ db, clock }) => [
  defineRoute({
    method: 'get',
    path: '/api/books',
    summary: 'Reconcile the shop with Sage',
    description:
      "The books ledger (CONTRACT.md, woo-sage books --json): per day (the shop's local day) and in total, in minor units, WooCommerce's gross, " +
      "Sage's gross computed from the delivered documents, what is not in Sage and why, the difference, refunds, credits and VAT by Sage tax code. " +
      `From stored data only. Without from/to: every day with orders; with both, every day between (at most ${MAX_BOOKS_DAYS}). ` +
      'details=true lists the orders behind every amount not in Sage, every difference and every refund to credit, each with the reason and the action.',
    tags: ['books'],
    roles: ANY_ROLE,
    query: z.object({
      from: day.optional(),
      to: day.optional(),
      currency: z.string().max(10).optional().describe('default: the currency most of the period’s orders are in'),
      details: z
        .enum(['true', 'false'])
        .transform((v) => v === 'true')
        .optional(),
    }),
    response: z.object({
      currency: z.string().nullable(),
      from: z.string().nullable(),
      to: z.string().nullable(),
      days: z.array(daySchema),
      totals: daySchema,
      balanced: z.boolean().describe('every difference is 0'),
      otherCurrencies: z.array(z.object({ currency: z.string(), orders: z.number().int() })),
      details: z.array(detailSchema).optional(),
    }),
    async handler({ query }) {
      return buildBooks(db, {
        from: query.from,
        to: query.to,
        currency: query.currency,
        details: query.details === true,
        now: clock.now(),
      });
    },
  }),
];
