import type { Knex } from 'knex';
import { z } from 'zod';
import { toUtcIso } from '../domain/clock.ts';

/** The sync_state row the poller updates after each successful run; the dashboard reads it. */
export const LAST_POLL_STATE = 'poll.last_success';

export const lastPollSchema = z.object({
  at: z.string().describe('when the last successful poll finished (UTC)'),
  durationMs: z.number().min(0).transform(Math.round),
  orders: z.number().int().min(0).describe('orders read from the store in that run'),
});

export type LastPoll = z.output<typeof lastPollSchema>;

/** Records a successful poll (insert or replace), in the caller's transaction if it has one. */
export async function writeLastPoll(db: Knex | Knex.Transaction, poll: { at: Date; durationMs: number; orders: number }): Promise<void> {
  const at = toUtcIso(poll.at);
  const value = JSON.stringify({ at, durationMs: Math.max(0, Math.round(poll.durationMs)), orders: poll.orders });
  await db('sync_state').insert({ name: LAST_POLL_STATE, value, updated_at: at }).onConflict('name').merge(['value', 'updated_at']);
}

/** The last successful poll, or null when none is recorded (or the row cannot be read). */
export async function readLastPoll(db: Knex): Promise<LastPoll | null> {
  const row = await db('sync_state').where({ name: LAST_POLL_STATE }).first('value');
  if (!row?.value) return null;
  try {
    const parsed = lastPollSchema.safeParse(JSON.parse(String(row.value)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
