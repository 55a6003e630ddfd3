import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { toUtcIso } from '../domain/clock.ts';
import type { DigestText, OrderProblem } from '../notify/digest-text.ts';
import type { ChannelName } from '../notify/channels.ts';
import { dialectOf } from './connection.ts';
import { asUniqueViolation } from './db-errors.ts';

const CHUNK = 500;

/** A held or failed order is a new problem when its state or its reason changes; the hash keys it. */
function stateProblemKey(kind: 'held' | 'failed', orderId: number, since: string, reason: string | null): string {
  const hash = createHash('sha256')
    .update(`${since}\n${reason ?? ''}`)
    .digest('hex')
    .slice(0, 16);
  return `${kind}:${orderId}:${hash}`;
}

/** What needs a person now: held and failed orders, and changes after export nobody has acknowledged. */
export async function currentProblems(db: Knex): Promise<OrderProblem[]> {
  const orders = await db('orders').whereIn('state', ['held', 'failed']).select('id', 'state', 'state_changed_at', 'last_error');
  const changes = await db('order_changes').whereNull('acknowledged_at').select('id', 'order_id', 'summary', 'action');
  return [
    ...orders.map((o: { id: number | string; state: 'held' | 'failed'; state_changed_at: string; last_error: string | null }) => ({
      key: stateProblemKey(o.state, Number(o.id), String(o.state_changed_at), o.last_error),
      orderId: Number(o.id),
      kind: o.state,
      text: o.last_error ?? '',
    })),
    ...changes.map((c: { id: number; order_id: number | string; summary: string; action: string | null }) => ({
      key: `change:${c.id}`,
      orderId: Number(c.order_id),
      kind: 'changed' as const,
      text: c.action ? `${c.summary}. To do in Sage: ${c.action}` : c.summary,
    })),
  ];
}

/** The problems no digest has told yet. */
export async function untoldProblems(db: Knex, problems: readonly OrderProblem[]): Promise<OrderProblem[]> {
  const told = new Set<string>();
  for (let i = 0; i < problems.length; i += CHUNK) {
    const keys = problems.slice(i, i + CHUNK).map((p) => p.key);
    for (const row of await db('notified_problems').whereIn('problem_key', keys).select('problem_key')) told.add(String(row.problem_key));
  }
  return problems.filter((p) => !told.has(p.key));
}

export async function lastDigestAt(db: Knex): Promise<string | undefined> {
  const row = await db('notification_digests').max({ at: 'created_at' }).first();
  return row?.at ? String(row.at) : undefined;
}

/**
 * Records a digest, the problems it tells and one pending delivery per channel, all or nothing.
 * Undefined when another instance recorded one of these problems first (the unique key): nothing
 * is sent twice.
 */
export async function recordDigest(
  db: Knex,
  digest: { at: Date; text: DigestText; problems: readonly OrderProblem[]; channels: readonly ChannelName[] },
): Promise<number | undefined> {
  const at = toUtcIso(digest.at);
  try {
    return await db.transaction(async (trx) => {
      const [id] = await trx('notification_digests').insert({
        created_at: at,
        subject: digest.text.subject,
        body: digest.text.body,
        webhook_text: digest.text.webhookText,
        problem_count: digest.problems.length,
      });
      const rows = digest.problems.map((p) => ({ problem_key: p.key, order_id: p.orderId, kind: p.kind, digest_id: id, detected_at: at }));
      for (let i = 0; i < rows.length; i += CHUNK) await trx('notified_problems').insert(rows.slice(i, i + CHUNK));
      await trx('notification_deliveries').insert(
        digest.channels.map((channel) => ({ digest_id: id, channel, state: 'pending', attempts: 0, next_attempt_at: at })),
      );
      return Number(id);
    });
  } catch (err) {
    if (asUniqueViolation(err, dialectOf(db))) return undefined;
    throw err;
  }
}

export interface DueDelivery {
  id: number;
  digestId: number;
  channel: ChannelName;
  attempts: number;
  text: DigestText;
}

/** Pending deliveries whose time has come, oldest digest first. */
export async function dueDeliveries(db: Knex, now: Date): Promise<DueDelivery[]> {
  const rows = await db('notification_deliveries as d')
    .join('notification_digests as g', 'g.id', 'd.digest_id')
    .where('d.state', 'pending')
    .andWhere('d.next_attempt_at', '<=', toUtcIso(now))
    .orderBy('d.id', 'asc')
    .select('d.id', 'd.digest_id', 'd.channel', 'd.attempts', 'g.subject', 'g.body', 'g.webhook_text');
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id),
    digestId: Number(r.digest_id),
    channel: r.channel as ChannelName,
    attempts: Number(r.attempts),
    text: { subject: String(r.subject), body: String(r.body), webhookText: String(r.webhook_text) },
  }));
}

/**
 * Records one try of a delivery: sent, to be tried again at `retryAt`, or failed for good. Only a
 * delivery still pending after exactly the attempts this try started from changes.
 */
export async function recordDeliveryAttempt(
  db: Knex,
  delivery: Pick<DueDelivery, 'id' | 'attempts'>,
  outcome: { at: Date } & ({ sent: true } | { sent: false; error: string; retryAt: Date | null }),
): Promise<void> {
  const at = toUtcIso(outcome.at);
  const update = outcome.sent
    ? { state: 'sent', sent_at: at, next_attempt_at: null, attempts: delivery.attempts + 1 }
    : {
        state: outcome.retryAt ? 'pending' : 'failed',
        next_attempt_at: outcome.retryAt ? toUtcIso(outcome.retryAt) : null,
        last_error: outcome.error.slice(0, 1000),
        attempts: delivery.attempts + 1,
      };
  await db('notification_deliveries').where({ id: delivery.id, state: 'pending', attempts: delivery.attempts }).update(update);
}
