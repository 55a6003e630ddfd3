import type { Knex } from 'knex';
import { recordAudit } from '../db/audit-log.ts';
import { findBatch } from '../db/export-batches.ts';
import type { Clock } from '../domain/clock.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { acknowledgeBatch, type AcknowledgeResult } from './deliver-by-pull.ts';

/**
 * A person confirms that Sage has a pulled batch: typically they downloaded it and imported it by
 * hand after the importer fetched it without acknowledging. The importer's own acknowledgement is
 * reused with the batch's stored token (the person proved who they are by signing in), and the
 * action is audited under their name so it is clear who said Sage has it.
 */
export async function acknowledgeBatchByHand(
  db: Knex,
  batchId: number,
  options: { actor: string; clock: Clock },
): Promise<AcknowledgeResult> {
  const batch = await findBatch(db, batchId);
  if (!batch) throw new NotFoundError(`there is no export batch ${batchId}`, { batchId });
  if (batch.channel !== 'pull' || !batch.ackToken) {
    throw new ConflictError(
      `batch ${batch.name} was written to the outbox folder (state ${batch.state}); only fetched (pull) batches are acknowledged`,
      { batchId, channel: batch.channel, state: batch.state },
    );
  }
  const result = await acknowledgeBatch(db, batchId, batch.ackToken, { clock: options.clock, actor: options.actor });
  if (result.status === 'acknowledged') {
    await recordAudit(db, {
      at: options.clock.now(),
      actor: options.actor,
      action: 'batch.acknowledge',
      subject: `export_batches.${batchId}`,
      before: batch.state,
      after: 'acknowledged',
      details: { name: batch.name, documents: result.documents },
    });
  }
  return result;
}
