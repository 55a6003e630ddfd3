import { z } from 'zod';
import { EVERY_ROLE, IMPORTER_ROLES } from '../../domain/roles.ts';
import { AppError } from '../../domain/errors.ts';
import { acknowledgeBatch, offerNextBatch } from '../../pipeline/deliver-by-pull.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';

/**
 * The pull channel for importers that fetch their documents instead of reading OUTBOX_DIR. Taking
 * a batch moves documents out of the queue and hands them to Sage: it is a POST (CSRF-checked for
 * a session; an importer's bearer token needs none), allowed to the importer role and owners only.
 * A GET or HEAD (a prefetching browser, a link checker, a monitoring probe) takes nothing.
 */
export const outboxRoutes: RouteModule = ({ db, clock }) => [
  defineRoute({
    method: 'get',
    path: '/api/outbox/next',
    summary: 'Refuse to take a batch by GET or HEAD',
    description: 'Answers 405 with `Allow: POST`: reading must never move documents. Take the next batch with POST /api/outbox/next.',
    tags: ['outbox'],
    roles: EVERY_ROLE,
    async handler({ res }) {
      res.setHeader('Allow', 'POST');
      throw new AppError(
        'METHOD_NOT_ALLOWED',
        'taking a batch moves documents out of the queue: use POST /api/outbox/next (with the X-CSRF-Token header, or a bearer token)',
        405,
      );
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/outbox/next',
    summary: 'Take the next batch of Sage documents',
    description:
      'One Zynk Company document (Customers, then SalesOrders, then Invoices: credit notes for refunds) with headers X-Batch-Id, X-Batch-Name, X-Batch-Token and X-Batch-Expires; 204 when nothing waits. A batch not acknowledged before X-Batch-Expires expires: its documents go back to the queue (folder delivery takes them) and a late acknowledgement is refused (409). A sales order whose new customer is in an unacknowledged batch waits for it. Importer and owner roles only.',
    tags: ['outbox'],
    roles: IMPORTER_ROLES,
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
      'Marks its documents delivered (and their orders); the batch is never offered again. Acknowledging twice is harmless; a wrong token is refused (403); a batch whose offer expired is refused (409): its documents are delivered again.',
    tags: ['outbox'],
    roles: IMPORTER_ROLES,
    params: z.object({ batchId: z.coerce.number().int().positive() }),
    body: z.object({ token: z.string().min(1).max(200).describe('the X-Batch-Token of the fetched batch') }).strict(),
    response: z.object({ batchId: z.number(), status: z.enum(['acknowledged', 'already-acknowledged']), documents: z.number() }),
    async handler({ params, body }) {
      return acknowledgeBatch(db, params.batchId, body.token, { clock });
    },
  }),
];
