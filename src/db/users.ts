import type { Knex } from 'knex';
import type { Role } from '../domain/roles.ts';

/** A user as the rest of the program sees it: the password hash never leaves this module's callers in auth/. */
export interface User {
  id: number;
  username: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
  disabledAt: string | null;
  lastLoginAt: string | null;
}

type Db = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

const PUBLIC_COLUMNS = ['id', 'username', 'role', 'created_at', 'updated_at', 'disabled_at', 'last_login_at'];

function toUser(row: Row): User {
  return {
    id: Number(row.id),
    username: String(row.username),
    role: row.role as Role,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
    disabledAt: (row.disabled_at as string | null) ?? null,
    lastLoginAt: (row.last_login_at as string | null) ?? null,
  };
}

export async function insertUser(db: Db, user: { username: string; role: Role; passwordHash: string; at: string }): Promise<number> {
  const [id] = await db('users').insert({
    username: user.username,
    role: user.role,
    password_hash: user.passwordHash,
    created_at: user.at,
    updated_at: user.at,
  });
  // MySQL returns the insert id, SQLite the rowid: both are the new id without `.returning()`.
  return Number(id);
}

export async function findUserByUsername(db: Db, username: string): Promise<User | undefined> {
  const row = await db('users').where({ username }).first(PUBLIC_COLUMNS);
  return row ? toUser(row) : undefined;
}

export async function findUserById(db: Db, id: number): Promise<User | undefined> {
  const row = await db('users').where({ id }).first(PUBLIC_COLUMNS);
  return row ? toUser(row) : undefined;
}

/** For verifying a login only. */
export async function findCredentials(db: Db, username: string): Promise<{ user: User; passwordHash: string } | undefined> {
  const row = await db('users')
    .where({ username })
    .first([...PUBLIC_COLUMNS, 'password_hash']);
  return row ? { user: toUser(row), passwordHash: String(row.password_hash) } : undefined;
}

/** Users by name; a page of `limit` after the username `after` when asked. */
export async function listUsers(db: Db, page: { limit?: number; after?: string } = {}): Promise<User[]> {
  const query = db('users').select(PUBLIC_COLUMNS).orderBy('username', 'asc');
  if (page.after !== undefined) query.where('username', '>', page.after);
  if (page.limit !== undefined) query.limit(page.limit);
  return (await query).map(toUser);
}

export async function updateUser(
  db: Db,
  id: number,
  patch: { role?: Role; passwordHash?: string; disabledAt?: string | null; lastLoginAt?: string; at: string },
): Promise<void> {
  const update: Row = { updated_at: patch.at };
  if (patch.role !== undefined) update.role = patch.role;
  if (patch.passwordHash !== undefined) update.password_hash = patch.passwordHash;
  if (patch.disabledAt !== undefined) update.disabled_at = patch.disabledAt;
  if (patch.lastLoginAt !== undefined) update.last_login_at = patch.lastLoginAt;
  await db('users').where({ id }).update(update);
}

export async function countActiveOwners(db: Db): Promise<number> {
  const row = await db('users').where({ role: 'owner' }).whereNull('disabled_at').count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
