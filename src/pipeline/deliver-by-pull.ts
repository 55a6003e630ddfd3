import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { systemClock, type Clock } from '../domain/clock.ts';
import { AppError, ConflictError, NotFoundError } from '../domain/errors.ts';
import { claimJobs } from '../db/claim-jobs.ts';
import { completeBatch, findBatch, type ExportBatch } from '../db/export-batches.ts';
import { releaseLapsedOffers } from '../db/lapsed-offers.ts';
import { listJobsOfBatch } from '../db/export-jobs.ts';
import { wrapCompany } from '../sage/company-xml.ts';

export interface OfferOptions {
  clock: Clock;
  /** How long the importer has to acknowledge before the documents go back to the queue (default 10 minutes). */
  offerTimeoutMs?: number;
  /** Documents per batch (default 100). */
  maxPerBatch?: number;
  workerId?: string;
}

export interface OfferedBatch {
  batchId: number;
  name: string;
  /** Quote it when acknowledging: only whoever fetched the batch can acknowledge it. */
  token: string;
  /** One Company document: Customers, then SalesOrders, then Invoices (credit notes). */
  xml: string;
  documents: number;
  /** UTC ISO time after which, unacknowledged, its documents go back to the queue. */
  expiresAt: string;
}

/**
 * Takes the next batch for an importer that fetches: a new batch of deliverable jobs, or null.
 * Batches whose offer lapsed unacknowledged are released first (their documents back in the
 * queue, for whichever channel comes next). A sales order whose new customer sits in an
 * unacknowledged batch waits: it is offered only after that batch is acknowledged or has lapsed,
 * so an importer never receives an order before its account.
 */
export async function offerNextBatch(db: Knex, options: OfferOptions): Promise<OfferedBatch | null> {
  const now = options.clock.now();
  const expiresAt = new Date(now.getTime() + (options.offerTimeoutMs ?? 10 * 60_000));
  await releaseLapsedOffers(db, now);
  const token = randomBytes(24).toString('hex');
  const claimed = await claimJobs(db, {
    workerId: options.workerId ?? 'pull',
    channel: 'pull',
    now,
    limit: options.maxPerBatch ?? 100,
    leaseMs: options.offerTimeoutMs ?? 10 * 60_000,
    ackToken: token,
    offerExpiresAt: expiresAt,
  });
  if (!claimed) return null;
  const batch = await findBatch(db, claimed.batchId);
  if (!batch) return null;
  return offer(db, batch, expiresAt);
}

async function offer(db: Knex, batch: ExportBatch, expiresAt: Date): Promise<OfferedBatch> {
  const jobs = await listJobsOfBatch(db, batch.id);
  const xml = wrapCompany({
    customers: jobs.filter((j) => j.kind === 'customer').map((j) => j.document),
    salesOrders: jobs.filter((j) => j.kind === 'sales_order').map((j) => j.document),
    invoices: jobs.filter((j) => j.kind === 'credit_note').map((j) => j.document),
  });
  return {
    batchId: batch.id,
    name: batch.name,
    token: batch.ackToken ?? '',
    xml,
    documents: jobs.length,
    expiresAt: expiresAt.toISOString(),
  };
}

export interface AcknowledgeResult {
  batchId: number;
  status: 'acknowledged' | 'already-acknowledged';
  documents: number;
}

/**
 * The importer confirms it has the batch: its jobs become delivered (their orders too) and the batch
 * is never offered again. Acknowledging twice is harmless; a wrong token is refused.
 */
export async function acknowledgeBatch(
  db: Knex,
  batchId: number,
  token: string,
  options: { clock?: Clock; actor?: string } = {},
): Promise<AcknowledgeResult> {
  const clock = options.clock ?? systemClock;
  const batch = await findBatch(db, batchId);
  if (!batch || batch.channel !== 'pull') throw new NotFoundError(`there is no pull batch ${batchId}`, { batchId });
  if (!sameToken(batch.ackToken ?? '', token)) {
    throw new AppError('BATCH_TOKEN_INVALID', `the acknowledgement token does not match batch ${batchId}`, 403, { batchId });
  }
  if (batch.state === 'acknowledged') return { batchId, status: 'already-acknowledged', documents: batch.documents };
  if (batch.state === 'expired' || (batch.offerExpiresAt !== null && Date.parse(batch.offerExpiresAt) <= clock.now().getTime())) {
    throw new ConflictError(
      `batch ${batch.name} was not acknowledged before its offer expired (${batch.offerExpiresAt}); its documents went back to the queue and will be delivered again`,
      { batchId },
    );
  }
  const documents = await completeBatch(db, batchId, null, clock.now(), {
    from: 'offered',
    to: 'acknowledged',
    actor: options.actor ?? 'pull',
    reason: `delivered in batch ${batch.name} (fetched and acknowledged${options.actor ? ` by ${options.actor}` : ''})`,
  });
  if (documents === 0 && (await findBatch(db, batchId))?.state === 'acknowledged') {
    return { batchId, status: 'already-acknowledged', documents: batch.documents };
  }
  return { batchId, status: 'acknowledged', documents };
}

function sameToken(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length > 0 && a.length === b.length && timingSafeEqual(a, b);
}
