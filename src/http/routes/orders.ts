import { z } from 'zod';
import { ANY_ROLE } from '../../domain/roles.ts';
import { countOrders, getOrderDetail, listOrders } from '../../db/order-queries.ts';
import { ORDER_STATES } from '../../domain/order-state.ts';
import { withWaitingReasons } from '../../pipeline/waiting-reasons.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';

export const orderSummarySchema = z.object({
  id: z.number().int().describe('the WooCommerce order id'),
  number: z.string().nullable(),
  status: z.string().describe('WooCommerce status'),
  state: z.enum(ORDER_STATES).describe("the connector's state"),
  stateChangedAt: z.string(),
  customerId: z.number().int().describe('0 for a guest'),
  billingEmail: z.string().nullable(),
  billingName: z.string().nullable().describe('the buyer from the billing address: "Jo Bloggs (Bloggs Ltd)"'),
  totalMinor: z.number().int().nullable().describe('order total in minor units (pence)'),
  currency: z.string().nullable(),
  dateModified: z.string(),
  rule: z.string().nullable().describe('MANUAL, PROFILE, EXISTING, NEW, DEFAULT or NONE once allocated'),
  accountCode: z.string().nullable(),
  lastError: z.string().nullable().describe('why it is held or failed'),
  changedAfterExport: z.boolean(),
  changeSummary: z.string().nullable(),
  customerPending: z.boolean().describe("a logged-in buyer's profile is not stored yet; the next sync fetches it first"),
  awaitingAccounts: z
    .boolean()
    .describe("it needs a new Sage account and waited because Sage's own accounts were not known (import the Sage customers first)"),
  waitingReason: z
    .string()
    .nullable()
    .describe(
      'for a waiting order: why it has not been processed (status not exported, settling until…, profile not fetched) or that the next sync takes it',
    ),
  statusNotExported: z
    .boolean()
    .describe(
      'waiting with a WooCommerce status that is not one of importStatuses (cancelled, refunded…): it will not go to Sage unless its status changes',
    ),
  stateLabel: z.string().describe('the state as support reads it: the state, or "not exported (status cancelled)"'),
});

const eventSchema = z.object({
  at: z.string(),
  from: z.enum(ORDER_STATES).nullable(),
  to: z.enum(ORDER_STATES),
  reason: z.string().nullable(),
  actor: z.string(),
});

const documentSchema = z.object({
  id: z.number().int(),
  kind: z.string().describe('customer, sales_order or credit_note'),
  jobKey: z.string(),
  accountCode: z.string().nullable(),
  state: z.string(),
  attempts: z.number().int().describe('delivery attempts of this document so far'),
  maxAttempts: z.number().int().describe('after this many failed attempts the document fails for a person'),
  nextAttemptAt: z.string().describe('when a queued document is tried (next): later than now while it backs off after a failure'),
  lastError: z.string().nullable(),
  resultMessage: z.string().nullable().describe("the importer's message, or why it was cancelled"),
  warnings: z.array(z.string()).describe("free text shortened to fit Sage's fields while the document was written"),
  batchId: z.number().int().nullable(),
  batchName: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});

/** `2026-11-01` (midnight UTC) or a full ISO time with its zone; stored times are UTC ISO strings. */
const sinceParam = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const at = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
    if (/^\d{4}-\d{2}-\d{2}(T.+(Z|[+-]\d{2}:?\d{2}))?$/.test(value) && !Number.isNaN(at.getTime())) return at.toISOString();
    ctx.addIssue({ code: 'custom', message: 'expected a date such as 2026-11-01 or 2026-11-01T09:00:00Z' });
    return z.NEVER;
  });

const listQuery = z.object({
  state: z.enum(ORDER_STATES).optional(),
  since: sinceParam.optional().describe('only orders whose state changed at or after this time (a date is midnight UTC)'),
  search: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe("order id or number, part of the billing email or the buyer's name, or an account code"),
  changedAfterExport: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('only orders changed (true) or not changed (false) in WooCommerce after their export'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().min(1).optional().describe('keyset paging: orders with a lower id (the nextBefore of the previous page)'),
});

export const orderChangeSchema = z.object({
  id: z.number().int(),
  orderId: z.number().int(),
  detectedAt: z.string(),
  summary: z.string().describe('what changed in WooCommerce after export'),
  action: z.string().nullable().describe('what a person must do in Sage'),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  note: z.string().nullable(),
});

export const orderRoutes: RouteModule = ({ db, clock }) => [
  defineRoute({
    method: 'get',
    path: '/api/orders',
    summary: 'List orders',
    description:
      'Newest first (by WooCommerce id). `total` counts every order matching the filters; page back with `before` = `nextBefore`, which is null on the last page.',
    tags: ['orders'],
    roles: ANY_ROLE,
    query: listQuery,
    response: z.object({ orders: z.array(orderSummarySchema), total: z.number().int(), nextBefore: z.number().int().nullable() }),
    async handler({ query }) {
      const filter = {
        state: query.state,
        since: query.since,
        search: query.search || undefined,
        changedAfterExport: query.changedAfterExport,
      };
      // One row more than asked tells whether there is another page without a second query.
      const rows = await listOrders(db, { ...filter, limit: query.limit + 1, beforeId: query.before });
      const orders = await withWaitingReasons(db, clock.now(), rows.slice(0, query.limit));
      const more = rows.length > query.limit;
      return { orders, total: await countOrders(db, filter), nextBefore: more ? orders[orders.length - 1]!.id : null };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/orders/:id',
    summary: 'Show one order and why it is where it is',
    description:
      'The order, the allocation decision with its trace (which rule fired and why), every state change, the documents queued for it (attempts, next attempt, warnings) and its changes after export.',
    tags: ['orders'],
    roles: ANY_ROLE,
    params: z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
    response: z.object({
      order: orderSummarySchema,
      decision: z.unknown().describe('the allocation decision: {rule, accountCode, reason, trace}, or null before allocation'),
      events: z.array(eventSchema),
      documents: z.array(documentSchema),
      changes: z.array(orderChangeSchema).describe('changes in WooCommerce after export, and who acknowledged them'),
    }),
    async handler({ params }) {
      const detail = await getOrderDetail(db, params.id);
      const [order] = await withWaitingReasons(db, clock.now(), [detail.order]);
      return { ...detail, order: order! };
    },
  }),
];
