import type { Knex } from 'knex';
import type { BatchState } from './export-batches.ts';

type Db = Knex | Knex.Transaction;

export interface BatchFilter {
  state?: BatchState;
  channel?: 'folder' | 'pull';
  limit?: number;
  /** Keyset paging: batches with an id below this one (lists are newest first). */
  beforeId?: number;
}

export interface BatchSummary {
  id: number;
  name: string;
  channel: 'folder' | 'pull';
  state: BatchState;
  documents: number;
  /** Documents in the batch now, by kind (a reprocessed document leaves its old batch). */
  customers: number;
  salesOrders: number;
  /** Folder batches: the files written to OUTBOX_DIR, in delivery order. */
  files: string[];
  createdAt: string;
  deliveredAt: string | null;
  offeredAt: string | null;
  offerExpiresAt: string | null;
  acknowledgedAt: string | null;
  lastError: string | null;
}

function filtered(db: Db, filter: BatchFilter): Knex.QueryBuilder {
  const query = db('export_batches');
  if (filter.state) query.where('state', filter.state);
  if (filter.channel) query.where('channel', filter.channel);
  return query;
}

const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** Export batches newest first, with what each holds: never the acknowledgement token. */
export async function listBatches(db: Db, filter: BatchFilter = {}): Promise<BatchSummary[]> {
  const query = filtered(db, filter)
    .select(
      'id',
      'name',
      'channel',
      'state',
      'documents',
      'files',
      'created_at',
      'delivered_at',
      'offered_at',
      'offer_expires_at',
      'acknowledged_at',
      'last_error',
    )
    .orderBy('id', 'desc')
    .limit(Math.min(filter.limit ?? 50, 500));
  if (filter.beforeId !== undefined) query.where('id', '<', filter.beforeId);
  const rows = (await query) as Record<string, unknown>[];
  const kinds = new Map<number, { customers: number; salesOrders: number }>();
  if (rows.length > 0) {
    const counts = await db('export_jobs')
      .whereIn(
        'batch_id',
        rows.map((r) => Number(r.id)),
      )
      .select('batch_id', 'kind')
      .count({ n: '*' })
      .groupBy('batch_id', 'kind');
    for (const row of counts as { batch_id: number; kind: string; n: number | string }[]) {
      const entry = kinds.get(Number(row.batch_id)) ?? { customers: 0, salesOrders: 0 };
      if (row.kind === 'customer') entry.customers += Number(row.n);
      else if (row.kind === 'sales_order') entry.salesOrders += Number(row.n);
      kinds.set(Number(row.batch_id), entry);
    }
  }
  return rows.map((r) => ({
    id: Number(r.id),
    name: String(r.name),
    channel: r.channel as BatchSummary['channel'],
    state: r.state as BatchState,
    documents: Number(r.documents),
    customers: kinds.get(Number(r.id))?.customers ?? 0,
    salesOrders: kinds.get(Number(r.id))?.salesOrders ?? 0,
    files: r.files ? (JSON.parse(String(r.files)) as string[]) : [],
    createdAt: String(r.created_at),
    deliveredAt: text(r.delivered_at),
    offeredAt: text(r.offered_at),
    offerExpiresAt: text(r.offer_expires_at),
    acknowledgedAt: text(r.acknowledged_at),
    lastError: text(r.last_error),
  }));
}

export async function countBatches(db: Db, filter: Omit<BatchFilter, 'limit' | 'beforeId'> = {}): Promise<number> {
  const [{ n }] = (await filtered(db, filter).count({ n: '*' })) as [{ n: number | string }];
  return Number(n);
}
