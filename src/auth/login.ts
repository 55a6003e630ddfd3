import type { Knex } from 'knex';
import { findCredentials, updateUser, type User } from '../db/users.ts';
import { toUtcIso, type Clock } from '../domain/clock.ts';
import { DEFAULT_SCRYPT, hashPassword, MAX_PASSWORD_LENGTH, needsRehash, verifyPassword, type ScryptParams } from './password.ts';
import { normaliseUsername } from './users.ts';

const dummyHashes = new Map<string, Promise<string>>();

/** A hash to check against when the user does not exist, so that case costs the same time. */
function dummyHash(params: ScryptParams): Promise<string> {
  const key = `${params.ln},${params.r},${params.p}`;
  let hash = dummyHashes.get(key);
  if (!hash) {
    hash = hashPassword('not a real password, only burns the same time', params);
    dummyHashes.set(key, hash);
  }
  return hash;
}

/**
 * The user these credentials belong to, or undefined (unknown user, wrong password, disabled:
 * the caller gives one generic answer for all three). Upgrades a hash made with weaker parameters.
 */
export async function verifyLogin(
  db: Knex,
  username: string,
  password: string,
  options: { clock: Clock; scrypt?: ScryptParams },
): Promise<User | undefined> {
  const params = options.scrypt ?? DEFAULT_SCRYPT;
  const name = normaliseUsername(username);
  const found = name.length > 0 && name.length <= 64 ? await findCredentials(db, name) : undefined;
  if (password.length > MAX_PASSWORD_LENGTH) return undefined;
  if (!found) {
    await verifyPassword(password, await dummyHash(params));
    return undefined;
  }
  const ok = await verifyPassword(password, found.passwordHash);
  if (!ok || found.user.disabledAt !== null) return undefined;
  const at = toUtcIso(options.clock.now());
  const patch: Parameters<typeof updateUser>[2] = { lastLoginAt: at, at };
  if (needsRehash(found.passwordHash, params)) patch.passwordHash = await hashPassword(password, params);
  await updateUser(db, found.user.id, patch);
  return { ...found.user, lastLoginAt: at };
}
