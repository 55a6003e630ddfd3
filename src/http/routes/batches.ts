import { z } from 'zod';
import { ANY_ROLE } from '../../domain/roles.ts';
import { countBatches, listBatches } from '../../db/batch-queries.ts';
import { acknowledgeBatchByHand } from '../../pipeline/acknowledge-batch-by-hand.ts';
import { batchDownload } from '../../pipeline/batch-download.ts';
import { principalOf } from '../principal.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';

const BATCH_STATES = ['open', 'staged', 'written', 'offered', 'acknowledged', 'expired'] as const;

const batchSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  channel: z.enum(['folder', 'pull']).describe('folder: written to OUTBOX_DIR; pull: fetched over HTTP'),
  state: z
    .enum(BATCH_STATES)
    .describe(
      'folder: open → staged → written; pull: offered → acknowledged, or expired (not acknowledged in time: its documents went back to the queue)',
    ),
  documents: z.number().int(),
  customers: z.number().int(),
  salesOrders: z.number().int(),
  files: z.array(z.string()),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  offeredAt: z.string().nullable(),
  offerExpiresAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  lastError: z.string().nullable(),
});

const batchIdParam = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

/** Batch names are digits, a timestamp and dashes; anything else never reaches a header. */
const safeFileName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_');

export const batchRoutes: RouteModule = ({ db, clock }) => [
  defineRoute({
    method: 'get',
    path: '/api/batches',
    summary: 'List export batches',
    description: 'Newest first, with state, document counts, files and times. Page back with `before` = `nextBefore`.',
    tags: ['outbox'],
    roles: ANY_ROLE,
    query: z.object({
      state: z.enum(BATCH_STATES).optional(),
      channel: z.enum(['folder', 'pull']).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      before: z.coerce.number().int().min(1).optional().describe('keyset paging: batches with a lower id'),
    }),
    response: z.object({ batches: z.array(batchSchema), total: z.number().int(), nextBefore: z.number().int().nullable() }),
    async handler({ query }) {
      const filter = { state: query.state, channel: query.channel };
      const rows = await listBatches(db, { ...filter, limit: query.limit + 1, beforeId: query.before });
      const batches = rows.slice(0, query.limit);
      return {
        batches,
        total: await countBatches(db, filter),
        nextBefore: rows.length > query.limit ? batches[batches.length - 1]!.id : null,
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/batches/:id/download',
    summary: "Download a batch's documents",
    description:
      "As an attachment: without `file`, one Company document with the batch's Customers, then its SalesOrders; with `file`, one of the batch's files as delivered (e.g. `00000007-20261123T101500Z-customers.xml`). Rebuilt from the database, so it works after the importer took the files.",
    tags: ['outbox'],
    roles: ANY_ROLE,
    params: batchIdParam,
    query: z.object({ file: z.string().min(1).max(255).optional() }),
    response: z.string(),
    responseContentType: 'application/xml',
    async handler({ res, params, query }) {
      const { fileName, xml } = await batchDownload(db, params.id, query.file);
      res
        .status(200)
        .set({
          'Content-Type': 'application/xml; charset=utf-8',
          'Content-Disposition': `attachment; filename="${safeFileName(fileName)}"`,
        })
        .send(xml);
      return undefined;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/batches/:id/acknowledge',
    summary: 'Confirm that Sage has a fetched batch',
    description:
      "For a pulled batch the importer fetched but did not acknowledge (e.g. it was imported by hand from the download): marks its documents and orders delivered, as the importer's acknowledgement would, and audits who said so. Folder batches are refused (409): writing the files delivered them.",
    tags: ['outbox'],
    roles: ANY_ROLE,
    params: batchIdParam,
    response: z.object({ batchId: z.number(), status: z.enum(['acknowledged', 'already-acknowledged']), documents: z.number() }),
    async handler({ res, params }) {
      return acknowledgeBatchByHand(db, params.id, { actor: principalOf(res).user.username, clock });
    },
  }),
];
