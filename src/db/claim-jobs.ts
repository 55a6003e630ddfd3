import type { Knex } from 'knex';
import { toUtcIso } from '../domain/clock.ts';
import { dialectOf } from './connection.ts';
import { withTransactionRetry } from './transaction-retry.ts';

export interface ClaimRequest {
  workerId: string;
  channel: 'folder' | 'pull';
  now: Date;
  limit: number;
  leaseMs: number;
  /** Pull batches only: the acknowledgement token and when the offer lapses. */
  ackToken?: string;
  offerExpiresAt?: Date;
}

export interface ClaimedBatch {
  batchId: number;
  name: string;
  jobIds: number[];
}

/** "00000123-20261123T101500Z": sorts in delivery order (the batch id leads). */
export function batchName(id: number, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${String(id).padStart(8, '0')}-${stamp}`;
}

/**
 * Claims up to `limit` queued jobs into a new batch, in one short transaction, and commits before
 * anything is written. A job is deliverable when its dependency (the new customer a sales order
 * needs) is delivered already or is claimed into the same batch ahead of it.
 * MySQL/MariaDB: candidates are read `FOR UPDATE SKIP LOCKED`, so concurrent deliverers take
 * different jobs. SQLite: the claim is a compare-and-set (`where state = 'queued'`) checked by what
 * was actually taken; jobs whose customer was taken by someone else are released again.
 */
export async function claimJobs(db: Knex, request: ClaimRequest): Promise<ClaimedBatch | null> {
  const now = toUtcIso(request.now);
  // A deadlock victim (MySQL) or a busy database (SQLite) is rolled back whole and tried again.
  return withTransactionRetry(db, async (trx) => {
    const candidates = trx('export_jobs')
      .select('id', 'depends_on_job_id')
      .where('state', 'queued')
      .andWhere('next_attempt_at', '<=', now)
      // The dependency's state, looked up by key for each candidate. As IN (subquery) or EXISTS,
      // MariaDB materialised the subquery over every job on each claim. A subquery's rows are not
      // locked by FOR UPDATE.
      .andWhere((q) =>
        q
          .whereNull('depends_on_job_id')
          .orWhereRaw('(select ?? from ?? as ?? where ?? = ??) in (?, ?, ?)', [
            'dependency.state',
            'export_jobs',
            'dependency',
            'dependency.id',
            'export_jobs.depends_on_job_id',
            'delivered',
            'imported',
            'queued',
          ]),
      )
      .orderBy('id', 'asc')
      .limit(request.limit * 2);
    if (dialectOf(db) === 'mysql') candidates.forUpdate().skipLocked();
    const rows: Array<{ id: number; depends_on_job_id: number | null }> = await candidates;
    if (rows.length === 0) return null;

    const dependencies = [...new Set(rows.map((r) => r.depends_on_job_id).filter((d): d is number => d !== null))];
    const depState = new Map<number, string>();
    if (dependencies.length > 0) {
      for (const dep of await trx('export_jobs').select('id', 'state').whereIn('id', dependencies))
        depState.set(Number(dep.id), String(dep.state));
    }
    const chosen: number[] = [];
    for (const row of rows) {
      if (chosen.length >= request.limit) break;
      const dep = row.depends_on_job_id === null ? null : Number(row.depends_on_job_id);
      const ready = dep === null || ['delivered', 'imported'].includes(depState.get(dep) ?? '') || chosen.includes(dep);
      if (ready) chosen.push(Number(row.id));
    }
    if (chosen.length === 0) return null;

    const [inserted] = await trx('export_batches').insert({
      name: `claiming-${request.workerId}-${now}`.slice(0, 191),
      channel: request.channel,
      state: request.channel === 'pull' ? 'offered' : 'open',
      documents: 0,
      created_at: now,
      locked_by: request.workerId,
      locked_until: toUtcIso(new Date(request.now.getTime() + request.leaseMs)),
      ack_token: request.ackToken ?? null,
      offered_at: request.channel === 'pull' ? now : null,
      offer_expires_at: request.offerExpiresAt ? toUtcIso(request.offerExpiresAt) : null,
    });
    const batchId = Number(inserted);
    const name = batchName(batchId, request.now);
    await trx('export_batches').where({ id: batchId }).update({ name });

    await trx('export_jobs')
      .whereIn('id', chosen)
      .andWhere('state', 'queued')
      .update({
        state: 'claimed',
        batch_id: batchId,
        locked_by: request.workerId,
        locked_until: toUtcIso(new Date(request.now.getTime() + request.leaseMs)),
        attempts: trx.raw('attempts + 1'),
        updated_at: now,
      });
    const taken = await trx('export_jobs')
      .select('id', 'depends_on_job_id')
      .where({ batch_id: batchId, locked_by: request.workerId })
      .orderBy('id');
    const takenIds = new Set(taken.map((t: { id: number }) => Number(t.id)));
    const orphans = taken
      .filter((t: { depends_on_job_id: number | null }) => {
        const dep = t.depends_on_job_id === null ? null : Number(t.depends_on_job_id);
        return dep !== null && !takenIds.has(dep) && !['delivered', 'imported'].includes(depState.get(dep) ?? '');
      })
      .map((t: { id: number }) => Number(t.id));
    if (orphans.length > 0) {
      await trx('export_jobs')
        .whereIn('id', orphans)
        .update({
          state: 'queued',
          batch_id: null,
          locked_by: null,
          locked_until: null,
          updated_at: now,
          attempts: trx.raw('attempts - 1'),
        });
      orphans.forEach((id) => takenIds.delete(id));
    }
    if (takenIds.size === 0) {
      await trx('export_batches').where({ id: batchId }).delete();
      return null;
    }
    await trx('export_batches').where({ id: batchId }).update({ documents: takenIds.size });
    // In id order: `taken` was read in id order and a Set keeps it.
    return { batchId, name, jobIds: [...takenIds] };
  });
}
