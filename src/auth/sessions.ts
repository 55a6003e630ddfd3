import type { Knex } from 'knex';
import { deleteExpiredSessions, deleteSession, extendSession, findSessionBySecretHash, insertSession } from '../db/sessions.ts';
import { findUserById, type User } from '../db/users.ts';
import { toUtcIso, type Clock } from '../domain/clock.ts';
import { hashSecret, newSecret } from './secrets.ts';

export interface SessionPolicy {
  /** A session unused this long ends. */
  idleMs: number;
  /** No session lives longer than this, however busy: a stolen cookie has a bounded life. */
  absoluteMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = Object.freeze({ idleMs: 12 * 3_600_000, absoluteMs: 7 * 24 * 3_600_000 });

export interface ActiveSession {
  id: number;
  /** The cookie's value. Only its hash is stored. */
  secret: string;
  user: User;
  expiresAt: string;
}

/** Starts a new session with a fresh random secret (never one the client offered). */
export async function startSession(
  db: Knex,
  user: User,
  client: { ip: string | null; userAgent: string | null },
  clock: Clock,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<ActiveSession> {
  const now = clock.now();
  // Housekeeping rides on logins so that no scheduler is needed to keep the table small.
  await deleteExpiredSessions(db, toUtcIso(now));
  const secret = newSecret();
  const expiresAt = toUtcIso(new Date(now.getTime() + Math.min(policy.idleMs, policy.absoluteMs)));
  const id = await insertSession(db, { secretHash: hashSecret(secret), userId: user.id, at: toUtcIso(now), expiresAt, ...client });
  return { id, secret, user, expiresAt };
}

/**
 * The session a cookie names, if it is live and its user enabled. Sliding expiry: the expiry moves
 * forward once less than half the idle time remains (so most requests write nothing), but never
 * past the absolute limit.
 */
export async function resolveSession(
  db: Knex,
  secret: string,
  clock: Clock,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<ActiveSession | undefined> {
  if (secret.length === 0 || secret.length > 200) return undefined;
  const row = await findSessionBySecretHash(db, hashSecret(secret));
  if (!row) return undefined;
  const now = clock.now();
  if (Date.parse(row.expiresAt) <= now.getTime()) {
    await deleteSession(db, row.id);
    return undefined;
  }
  const user = await findUserById(db, row.userId);
  if (!user || user.disabledAt !== null) return undefined;
  let expiresAt = row.expiresAt;
  if (Date.parse(row.expiresAt) - now.getTime() < policy.idleMs / 2) {
    const limit = Date.parse(row.createdAt) + policy.absoluteMs;
    const next = toUtcIso(new Date(Math.min(now.getTime() + policy.idleMs, limit)));
    if (next > row.expiresAt) {
      await extendSession(db, row.id, toUtcIso(now), next);
      expiresAt = next;
    }
  }
  return { id: row.id, secret, user, expiresAt };
}

export async function endSession(db: Knex, sessionId: number): Promise<void> {
  await deleteSession(db, sessionId);
}
