import type { Knex } from 'knex';
import { toUtcIso } from '../domain/clock.ts';
import { escapeLike } from './like.ts';

export interface AuditEntry {
  at: Date;
  actor: string;
  action: string;
  subject: string;
  before?: unknown;
  after?: unknown;
  details?: unknown;
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  before: unknown;
  after: unknown;
  details: unknown;
}

const asJson = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
const fromJson = (value: string | null) => (value === null ? undefined : JSON.parse(value));

export async function recordAudit(db: Knex | Knex.Transaction, entry: AuditEntry): Promise<void> {
  await db('audit_log').insert({
    at: toUtcIso(entry.at),
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    before: asJson(entry.before),
    after: asJson(entry.after),
    details: asJson(entry.details),
  });
}

/** Newest first; `beforeId` pages back through older entries. */
export async function listAudit(
  db: Knex,
  filter: { action?: string; subjectPrefix?: string; limit?: number; beforeId?: number } = {},
): Promise<AuditRow[]> {
  const query = db('audit_log')
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100);
  if (filter.action) query.where('action', filter.action);
  if (filter.beforeId !== undefined) query.where('id', '<', filter.beforeId);
  if (filter.subjectPrefix) query.whereRaw("subject LIKE ? ESCAPE '!'", [`${escapeLike(filter.subjectPrefix)}%`]);
  const rows = await query;
  return rows.map((row: Record<string, string | number | null>) => ({
    id: Number(row.id),
    at: String(row.at),
    actor: String(row.actor),
    action: String(row.action),
    subject: String(row.subject),
    before: fromJson(row.before as string | null),
    after: fromJson(row.after as string | null),
    details: fromJson(row.details as string | null),
  }));
}
