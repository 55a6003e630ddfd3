import { z } from 'zod';
import { ROLES } from '../domain/roles.ts';
import type { ApiToken } from '../db/api-tokens.ts';
import type { User } from '../db/users.ts';

/** A user as the API shows it: never a password hash. */
export const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  updatedAt: z.string(),
  disabledAt: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
});

export const apiTokenSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  name: z.string(),
  prefix: z.string().describe('the first characters of the token, to tell tokens apart'),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

/** Copies only the listed fields, so a column added to the row later cannot leak by accident. */
export function publicUser(user: User): z.output<typeof userSchema> {
  const { id, username, role, createdAt, updatedAt, disabledAt, lastLoginAt } = user;
  return { id, username, role, createdAt, updatedAt, disabledAt, lastLoginAt };
}

export function publicToken(token: ApiToken): z.output<typeof apiTokenSchema> {
  const { id, username, name, prefix, createdAt, lastUsedAt, revokedAt } = token;
  return { id, username, name, prefix, createdAt, lastUsedAt, revokedAt };
}
