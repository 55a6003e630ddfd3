import express, { Router } from 'express';
import type { Knex } from 'knex';
import type { Clock } from '../domain/clock.ts';
import { ValidationError } from '../domain/errors.ts';
import { acknowledgeBatch, offerNextBatch } from '../pipeline/deliver-by-pull.ts';

export interface PullRouterDeps {
  db: Knex;
  clock: Clock;
  offerTimeoutMs?: number;
  maxPerBatch?: number;
}

/**
 * The HTTP pull channel for importers that fetch (no authentication of its own: mount it behind
 * the admin API's authentication).
 *   GET  /next             200 application/xml: one Company document; headers X-Batch-Id,
 *                          X-Batch-Name, X-Batch-Token, X-Batch-Expires. 204 when nothing waits.
 *   POST /:batchId/ack     token in X-Batch-Token or JSON {"token": "..."}; 200 {batchId, status, documents}.
 * A batch not acknowledged in time is offered again; an acknowledged batch never is.
 */
export function pullRouter(deps: PullRouterDeps): Router {
  const router = Router();
  router.get('/next', async (_req, res) => {
    const batch = await offerNextBatch(deps.db, { clock: deps.clock, offerTimeoutMs: deps.offerTimeoutMs, maxPerBatch: deps.maxPerBatch });
    if (!batch) {
      res.status(204).end();
      return;
    }
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
  });
  router.post('/:batchId/ack', express.json({ limit: '4kb' }), async (req, res) => {
    const batchId = Number(req.params.batchId);
    if (!Number.isSafeInteger(batchId) || batchId <= 0)
      throw new ValidationError(`batch id ${JSON.stringify(req.params.batchId)} is not a number`);
    const token = req.get('X-Batch-Token') ?? (typeof req.body?.token === 'string' ? req.body.token : '');
    if (!token) throw new ValidationError('the acknowledgement needs the batch token (X-Batch-Token header or {"token"})');
    res.json(await acknowledgeBatch(deps.db, batchId, token, { clock: deps.clock }));
  });
  return router;
}
