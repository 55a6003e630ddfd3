import type { Knex } from 'knex';

/** A token as it is listed: never its secret or hash. */
export interface ApiToken {
  id: number;
  userId: number;
  username: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

type Db = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

function toToken(row: Row): ApiToken {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    username: String(row.username),
    name: String(row.name),
    prefix: String(row.prefix),
    createdAt: String(row.created_at),
    lastUsedAt: (row.last_used_at as string | null) ?? null,
    revokedAt: (row.revoked_at as string | null) ?? null,
  };
}

const COLUMNS = [
  'api_tokens.id',
  'api_tokens.user_id',
  'users.username',
  'api_tokens.name',
  'api_tokens.prefix',
  'api_tokens.created_at',
  'api_tokens.last_used_at',
  'api_tokens.revoked_at',
];

export async function insertApiToken(
  db: Db,
  token: { userId: number; name: string; prefix: string; secretHash: string; at: string },
): Promise<number> {
  const [id] = await db('api_tokens').insert({
    user_id: token.userId,
    name: token.name,
    prefix: token.prefix,
    secret_hash: token.secretHash,
    created_at: token.at,
  });
  return Number(id);
}

export async function findApiTokenBySecretHash(db: Db, secretHash: string): Promise<ApiToken | undefined> {
  const row = await db('api_tokens')
    .join('users', 'users.id', 'api_tokens.user_id')
    .where('api_tokens.secret_hash', secretHash)
    .first(COLUMNS);
  return row ? toToken(row) : undefined;
}

export async function findApiToken(db: Db, id: number): Promise<ApiToken | undefined> {
  const row = await db('api_tokens').join('users', 'users.id', 'api_tokens.user_id').where('api_tokens.id', id).first(COLUMNS);
  return row ? toToken(row) : undefined;
}

export async function listApiTokens(db: Db, filter: { userId?: number; limit?: number; afterId?: number } = {}): Promise<ApiToken[]> {
  const query = db('api_tokens').join('users', 'users.id', 'api_tokens.user_id').select(COLUMNS).orderBy('api_tokens.id', 'asc');
  if (filter.userId !== undefined) query.where('api_tokens.user_id', filter.userId);
  if (filter.afterId !== undefined) query.where('api_tokens.id', '>', filter.afterId);
  if (filter.limit !== undefined) query.limit(filter.limit);
  return (await query).map(toToken);
}

export async function markApiTokenUsed(db: Db, id: number, at: string): Promise<void> {
  await db('api_tokens').where({ id }).update({ last_used_at: at });
}

/** Revokes a token; returns false when it was already revoked (or never existed). */
export async function revokeApiToken(db: Db, id: number, at: string): Promise<boolean> {
  const changed = await db('api_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: at });
  return changed > 0;
}

/** Revokes every live token of a user; returns the ids revoked. */
export async function revokeUserApiTokens(db: Db, userId: number, at: string): Promise<number[]> {
  const live = await db('api_tokens').where({ user_id: userId }).whereNull('revoked_at').orderBy('id', 'asc').pluck('id');
  if (live.length === 0) return [];
  await db('api_tokens').whereIn('id', live).whereNull('revoked_at').update({ revoked_at: at });
  return live.map(Number);
}
