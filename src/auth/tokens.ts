import type { Knex } from 'knex';
import {
  findApiToken,
  findApiTokenBySecretHash,
  insertApiToken,
  markApiTokenUsed,
  revokeApiToken,
  type ApiToken,
} from '../db/api-tokens.ts';
import { recordAudit } from '../db/audit-log.ts';
import { findUserById, type User } from '../db/users.ts';
import { systemClock, toUtcIso, type Clock } from '../domain/clock.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { hashSecret, newSecret } from './secrets.ts';
import { requireUser } from './users.ts';

/** Recognisable in a leaked-secret scan and in a person's password manager. */
export const TOKEN_PREFIX = 'wsg_';
/** last_used_at is a hint for people, not an exact log: write it at most once a minute per token. */
const USE_RECORD_INTERVAL_MS = 60_000;

/** Issues a bearer token for a user. The secret is returned once and only its hash is stored. */
export async function issueApiToken(
  db: Knex,
  username: string,
  name: string,
  actor: string,
  clock: Clock = systemClock,
): Promise<{ token: ApiToken; secret: string }> {
  const label = name.trim();
  if (label.length === 0 || label.length > 120) throw new ValidationError('name: expected 1-120 characters naming what uses the token');
  const secret = newSecret(TOKEN_PREFIX);
  const at = clock.now();
  return db.transaction(async (trx) => {
    const user = await requireUser(trx, username);
    if (user.disabledAt !== null) throw new ValidationError(`user "${user.username}" is disabled; enable it before issuing a token`);
    const id = await insertApiToken(trx, {
      userId: user.id,
      name: label,
      prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
      secretHash: hashSecret(secret),
      at: toUtcIso(at),
    });
    await recordAudit(trx, { at, actor, action: 'tokens.issue', subject: `users.${user.username}`, details: { tokenId: id, name: label } });
    return { token: (await findApiToken(trx, id))!, secret };
  });
}

export async function revokeToken(db: Knex, id: number, actor: string, clock: Clock = systemClock): Promise<ApiToken> {
  const at = clock.now();
  return db.transaction(async (trx) => {
    const token = await findApiToken(trx, id);
    if (!token) throw new NotFoundError(`no API token with id ${id}`, { id });
    if (await revokeApiToken(trx, id, toUtcIso(at))) {
      await recordAudit(trx, {
        at,
        actor,
        action: 'tokens.revoke',
        subject: `users.${token.username}`,
        details: { tokenId: id, name: token.name },
      });
    }
    return (await findApiToken(trx, id))!;
  });
}

/** The user a bearer token stands for, or undefined when it is unknown, revoked or its user disabled. */
export async function resolveApiToken(
  db: Knex,
  secret: string,
  clock: Clock = systemClock,
): Promise<{ user: User; token: ApiToken } | undefined> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return undefined;
  const token = await findApiTokenBySecretHash(db, hashSecret(secret));
  if (!token || token.revokedAt !== null) return undefined;
  const user = await findUserById(db, token.userId);
  if (!user || user.disabledAt !== null) return undefined;
  const now = clock.now();
  if (!token.lastUsedAt || now.getTime() - Date.parse(token.lastUsedAt) >= USE_RECORD_INTERVAL_MS) {
    await markApiTokenUsed(db, token.id, toUtcIso(now));
  }
  return { user, token };
}
