import { z } from 'zod';
import { ANY_ROLE } from '../../domain/roles.ts';
import { ORDER_STATES } from '../../domain/order-state.ts';
import { acknowledgeChange } from '../../pipeline/acknowledge-change.ts';
import { cancelOrder } from '../../pipeline/cancel-order.ts';
import { reprocessOrders } from '../../pipeline/reprocess-orders.ts';
import { principalOf } from '../principal.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';
import { orderChangeSchema } from './orders.ts';

/** Orders one API call reprocesses at most; `more` says when others matched. */
export const REPROCESS_LIMIT = 1000;

const orderId = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
const state = z.enum(ORDER_STATES).nullable();

const reprocessBody = z
  .object({
    ids: z.array(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)).max(REPROCESS_LIMIT).optional().describe('WooCommerce order ids'),
    allFailed: z.boolean().optional().describe('every failed order'),
    held: z.boolean().optional().describe('every held order'),
    dryRun: z.boolean().optional().describe('say what would happen, change nothing'),
    reason: z.string().trim().max(500).optional().describe("why, kept in each order's history"),
  })
  .strict()
  .refine((b) => (b.ids?.length ?? 0) > 0 || b.allFailed === true || b.held === true, {
    message: 'name the orders (ids) or choose allFailed and/or held',
  });

export const reprocessResultSchema = z.object({
  orderId: z.number().int(),
  outcome: z
    .enum(['queued', 'held', 'waiting', 'already-sent', 'not-found', 'error'])
    .describe(
      'queued: documents queued now; held: still held (reason); waiting: not exported or settling; already-sent: Sage has it, not sent again',
    ),
  from: state,
  to: state,
  rule: z.string().nullable(),
  accountCode: z.string().nullable(),
  reason: z.string(),
  warnings: z.array(z.string()),
});

/**
 * What support does to orders (the same use cases as `woo-sage orders reprocess|cancel|ack`):
 * support and owners alike; each action records who did it.
 */
export const orderActionRoutes: RouteModule = ({ db, clock }) => [
  defineRoute({
    method: 'post',
    path: '/api/orders/reprocess',
    summary: 'Reprocess orders',
    description: `Puts the orders back to waiting and processes them now with the current settings and Sage accounts (after linking a customer, fixing a tax mapping…). Documents keep their keys: a failed or cancelled sales order is queued again under its key; an order whose sales order was delivered is not sent again. At most ${REPROCESS_LIMIT} orders per call (\`more\` is true when others matched).`,
    tags: ['orders'],
    roles: ANY_ROLE,
    body: reprocessBody,
    response: z.object({ dryRun: z.boolean(), results: z.array(reprocessResultSchema), more: z.boolean() }),
    async handler({ res, body }) {
      const { user } = principalOf(res);
      return reprocessOrders(
        db,
        { ids: body.ids, allFailed: body.allFailed, held: body.held },
        { clock, actor: user.username, reason: body.reason, dryRun: body.dryRun, limit: REPROCESS_LIMIT },
      );
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/orders/:id/cancel',
    summary: 'Cancel an order',
    description:
      'Takes its documents that have not been delivered out of the queue and moves the order to cancelled. An order whose sales order Sage already has (or is being delivered) is refused with 409: a person must cancel or credit it in Sage. Audited.',
    tags: ['orders'],
    roles: ANY_ROLE,
    params: orderId,
    body: z.object({ reason: z.string().trim().max(500).optional().describe('why, kept in the history and audit log') }).strict(),
    response: z.object({
      orderId: z.number().int(),
      status: z.enum(['cancelled', 'already-cancelled']),
      from: z.enum(ORDER_STATES),
      cancelledJobs: z.array(z.number().int()),
    }),
    async handler({ res, params, body }) {
      const { user } = principalOf(res);
      return cancelOrder(db, { orderId: params.id, actor: user.username, reason: body.reason, clock });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/orders/:id/acknowledge-change',
    summary: 'Acknowledge changes after export',
    description:
      "Records that a person has dealt in Sage with the order's changes after export (who, when, the note) and clears its flag; 409 when none is waiting. A change detected meanwhile stays open.",
    tags: ['orders'],
    roles: ANY_ROLE,
    params: orderId,
    body: z.object({ note: z.string().trim().max(1000).optional().describe('what was done in Sage') }).strict(),
    response: z.object({ orderId: z.number().int(), acknowledged: z.array(orderChangeSchema) }),
    async handler({ res, params, body }) {
      const { user } = principalOf(res);
      return acknowledgeChange(db, { orderId: params.id, actor: user.username, note: body.note, clock });
    },
  }),
];
