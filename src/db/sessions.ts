import type { Knex } from 'knex';

export interface SessionRow {
  id: number;
  userId: number;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

type Db = Knex | Knex.Transaction;

export async function insertSession(
  db: Db,
  session: { secretHash: string; userId: number; at: string; expiresAt: string; ip: string | null; userAgent: string | null },
): Promise<number> {
  const [id] = await db('sessions').insert({
    secret_hash: session.secretHash,
    user_id: session.userId,
    created_at: session.at,
    last_seen_at: session.at,
    expires_at: session.expiresAt,
    ip: session.ip?.slice(0, 64) ?? null,
    user_agent: session.userAgent?.slice(0, 255) ?? null,
  });
  return Number(id);
}

export async function findSessionBySecretHash(db: Db, secretHash: string): Promise<SessionRow | undefined> {
  const row = await db('sessions').where({ secret_hash: secretHash }).first('id', 'user_id', 'created_at', 'last_seen_at', 'expires_at');
  if (!row) return undefined;
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    createdAt: String(row.created_at),
    lastSeenAt: String(row.last_seen_at),
    expiresAt: String(row.expires_at),
  };
}

export async function extendSession(db: Db, id: number, at: string, expiresAt: string): Promise<void> {
  await db('sessions').where({ id }).update({ last_seen_at: at, expires_at: expiresAt });
}

export async function deleteSession(db: Db, id: number): Promise<void> {
  await db('sessions').where({ id }).delete();
}

/** Ends every session of a user (disabled, password changed), optionally keeping one. */
export async function deleteUserSessions(db: Db, userId: number, exceptId?: number): Promise<number> {
  const query = db('sessions').where({ user_id: userId });
  if (exceptId !== undefined) query.whereNot({ id: exceptId });
  return query.delete();
}

export async function deleteExpiredSessions(db: Db, now: string): Promise<number> {
  return db('sessions').where('expires_at', '<=', now).delete();
}
