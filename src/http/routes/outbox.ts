import { z } from 'zod';
import { ANY_ROLE } from '../../auth/roles.ts';
import { acknowledgeBatch, offerNextBatch } from '../../pipeline/deliver-by-pull.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';

/**
 * The pull channel for importers that fetch their documents instead of reading OUTBOX_DIR. A user
 * (or a bearer token) of any role may fetch and acknowledge: fetching hands documents to Sage.
 */
export const outboxRoutes: RouteModule = ({ db, clock }) => [
  defineRoute({
    method: 'get',
    path: '/api/outbox/next',
    summary: 'Fetch the next batch of Sage documents',
    description:
      'One Zynk Company document (Customers, then SalesOrders, then Invoices: credit notes for refunds) with headers X-Batch-Id, X-Batch-Name, X-Batch-Token and X-Batch-Expires; 204 when nothing waits. A batch not acknowledged before X-Batch-Expires is offered again (same id and token); a sales order whose new customer is in an unacknowledged batch waits for it.',
    tags: ['outbox'],
    roles: ANY_ROLE,
    responseContentType: 'application/xml',
    async handler({ res }) {
      const batch = await offerNextBatch(db, { clock });
      if (!batch) return undefined;
      res
        .status(200)
        .set({
          'Content-Type': 'application/xml; charset=utf-8',
          'Cache-Control': 'no-store',
          'X-Batch-Id': String(batch.batchId),
          'X-Batch-Name': batch.name,
          'X-Batch-Token': batch.token,
          'X-Batch-Expires': batch.expiresAt,
        })
        .send(batch.xml);
      return undefined;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/outbox/batches/:batchId/ack',
    summary: 'Acknowledge a fetched batch',
    description:
      'Marks its documents delivered (and their orders); the batch is never offered again. Acknowledging twice is harmless; a wrong token is refused (403).',
    tags: ['outbox'],
    roles: ANY_ROLE,
    params: z.object({ batchId: z.coerce.number().int().positive() }),
    body: z.object({ token: z.string().min(1).max(200).describe('the X-Batch-Token of the fetched batch') }).strict(),
    response: z.object({ batchId: z.number(), status: z.enum(['acknowledged', 'already-acknowledged']), documents: z.number() }),
    async handler({ params, body }) {
      return acknowledgeBatch(db, params.batchId, body.token, { clock });
    },
  }),
];
