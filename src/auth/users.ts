import type { Knex } from 'knex';
import { revokeUserApiTokens } from '../db/api-tokens.ts';
import { recordAudit } from '../db/audit-log.ts';
import { deleteUserSessions } from '../db/sessions.ts';
import { countActiveOwners, findUserByUsername, insertUser, updateUser, type User } from '../db/users.ts';
import { systemClock, toUtcIso, type Clock } from '../domain/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { DEFAULT_SCRYPT, hashPassword, passwordProblems, type ScryptParams } from './password.ts';
import { isRole, ROLES, type Role } from '../domain/roles.ts';

export interface UserOptions {
  clock?: Clock;
  scrypt?: ScryptParams;
}

const USERNAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

/** Usernames are compared case-insensitively: stored and looked up lower-cased and trimmed. */
export function normaliseUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

function usernameProblems(username: string): string[] {
  return USERNAME.test(username)
    ? []
    : [`username: "${username.slice(0, 80)}" is not allowed; expected 1-64 characters a-z 0-9 . _ @ - starting with a letter or digit`];
}

function roleProblems(role: string): string[] {
  return isRole(role) ? [] : [`role: "${role.slice(0, 40)}" is not allowed; expected one of ${ROLES.join(', ')}`];
}

function refuse(problems: string[]): void {
  if (problems.length > 0) throw new ValidationError(problems.join('; '), { problems });
}

export async function requireUser(db: Knex | Knex.Transaction, username: string): Promise<User> {
  const user = await findUserByUsername(db, normaliseUsername(username));
  if (!user) throw new NotFoundError(`no user named "${normaliseUsername(username).slice(0, 80)}"`, { username });
  return user;
}

/** Creates a user with a hashed password; audited (never with the password). */
export async function addUser(
  db: Knex,
  input: { username: string; password: string; role: string },
  actor: string,
  options: UserOptions = {},
): Promise<User> {
  const username = normaliseUsername(input.username);
  refuse([...usernameProblems(username), ...roleProblems(input.role), ...passwordProblems(input.password)]);
  const passwordHash = await hashPassword(input.password, options.scrypt ?? DEFAULT_SCRYPT);
  const at = (options.clock ?? systemClock).now();
  return db.transaction(async (trx) => {
    if (await findUserByUsername(trx, username)) throw new ConflictError(`a user named "${username}" already exists`, { username });
    await insertUser(trx, { username, role: input.role as Role, passwordHash, at: toUtcIso(at) });
    await recordAudit(trx, { at, actor, action: 'users.add', subject: `users.${username}`, after: { role: input.role } });
    return (await findUserByUsername(trx, username))!;
  });
}

async function refuseLosingLastOwner(trx: Knex.Transaction, user: User, what: string): Promise<void> {
  if (user.role === 'owner' && user.disabledAt === null && (await countActiveOwners(trx)) <= 1) {
    throw new ConflictError(`cannot ${what} "${user.username}": it is the only active owner, and nobody could change settings or users`, {
      username: user.username,
    });
  }
}

/**
 * Tokens were issued under the old password or before the user was disabled: whoever held them
 * then must not keep access after it. Revoked for good (audited), so re-enabling brings none back.
 */
async function revokeTokensOf(trx: Knex.Transaction, user: User, at: Date, actor: string, why: string): Promise<void> {
  const revoked = await revokeUserApiTokens(trx, user.id, toUtcIso(at));
  if (revoked.length > 0) {
    await recordAudit(trx, { at, actor, action: 'tokens.revoke', subject: `users.${user.username}`, details: { tokenIds: revoked, why } });
  }
}

/** Disables (ending every session and revoking every token at once) or re-enables a user. */
export async function setUserDisabled(
  db: Knex,
  username: string,
  disabled: boolean,
  actor: string,
  clock: Clock = systemClock,
): Promise<User> {
  return db.transaction(async (trx) => {
    const user = await requireUser(trx, username);
    if ((user.disabledAt !== null) === disabled) return user;
    if (disabled) await refuseLosingLastOwner(trx, user, 'disable');
    const at = clock.now();
    await updateUser(trx, user.id, { disabledAt: disabled ? toUtcIso(at) : null, at: toUtcIso(at) });
    if (disabled) {
      await deleteUserSessions(trx, user.id);
      await revokeTokensOf(trx, user, at, actor, 'user disabled');
    }
    await recordAudit(trx, { at, actor, action: disabled ? 'users.disable' : 'users.enable', subject: `users.${user.username}` });
    return (await requireUser(trx, username))!;
  });
}

export async function setUserRole(db: Knex, username: string, role: string, actor: string, clock: Clock = systemClock): Promise<User> {
  refuse(roleProblems(role));
  return db.transaction(async (trx) => {
    const user = await requireUser(trx, username);
    if (user.role === role) return user;
    await refuseLosingLastOwner(trx, user, 'change the role of');
    const at = clock.now();
    await updateUser(trx, user.id, { role: role as Role, at: toUtcIso(at) });
    await recordAudit(trx, { at, actor, action: 'users.role', subject: `users.${user.username}`, before: user.role, after: role });
    return requireUser(trx, username);
  });
}

/** Sets a new password, ends the user's other sessions (all of them unless one is kept) and revokes their tokens. */
export async function setUserPassword(
  db: Knex,
  username: string,
  password: string,
  actor: string,
  options: UserOptions & { keepSessionId?: number } = {},
): Promise<User> {
  refuse(passwordProblems(password));
  const passwordHash = await hashPassword(password, options.scrypt ?? DEFAULT_SCRYPT);
  const at = (options.clock ?? systemClock).now();
  return db.transaction(async (trx) => {
    const user = await requireUser(trx, username);
    await updateUser(trx, user.id, { passwordHash, at: toUtcIso(at) });
    await deleteUserSessions(trx, user.id, options.keepSessionId);
    await revokeTokensOf(trx, user, at, actor, 'password changed');
    await recordAudit(trx, { at, actor, action: 'users.password', subject: `users.${user.username}` });
    return user;
  });
}
