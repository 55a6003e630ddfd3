import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, passwordProblems } from '../../auth/password.ts';
import { OWNER_ONLY, ROLES } from '../../domain/roles.ts';
import { issueApiToken, revokeToken } from '../../auth/tokens.ts';
import { addUser, requireUser, setUserDisabled, setUserPassword, setUserRole } from '../../auth/users.ts';
import { listApiTokens } from '../../db/api-tokens.ts';
import { listUsers } from '../../db/users.ts';
import { ValidationError } from '../../domain/errors.ts';
import { principalOf } from '../principal.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';
import { apiTokenSchema, publicToken, publicUser, userSchema } from '../schemas.ts';

const usernameParam = z.object({ username: z.string().min(1).max(64) });

export const userRoutes: RouteModule = ({ db, clock, auth }) => [
  defineRoute({
    method: 'get',
    path: '/api/users',
    summary: 'List users',
    description: 'By username, a page at a time: ask for the next page with `after` = `nextAfter`, null on the last page.',
    tags: ['users'],
    roles: OWNER_ONLY,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(200),
      after: z.string().min(1).max(64).optional().describe('the nextAfter of the previous page'),
    }),
    response: z.object({ users: z.array(userSchema), nextAfter: z.string().nullable() }),
    async handler({ query }) {
      // One row more than asked tells whether there is another page without a second query.
      const rows = await listUsers(db, { limit: query.limit + 1, after: query.after });
      const users = rows.slice(0, query.limit);
      return { users: users.map(publicUser), nextAfter: rows.length > query.limit ? users[users.length - 1]!.username : null };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/users',
    summary: 'Add a user',
    tags: ['users'],
    roles: OWNER_ONLY,
    body: z.object({ username: z.string().min(1).max(64), role: z.enum(ROLES), password: z.string().min(1).max(MAX_PASSWORD_LENGTH) }),
    status: 201,
    response: z.object({ user: userSchema }),
    async handler({ res, body }) {
      const actor = principalOf(res).user.username;
      return { user: publicUser(await addUser(db, body, actor, { clock, scrypt: auth.policy.scrypt })) };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/api/users/:username',
    summary: 'Change a user',
    description:
      'Role, disabled (ends their sessions; their tokens stop working) or a new password (ends their sessions). The last active owner cannot be disabled or demoted.',
    tags: ['users'],
    roles: OWNER_ONLY,
    params: usernameParam,
    body: z
      .object({
        role: z.enum(ROLES).optional(),
        disabled: z.boolean().optional(),
        password: z.string().min(1).max(MAX_PASSWORD_LENGTH).optional(),
      })
      .strict(),
    response: z.object({ user: userSchema }),
    async handler({ res, params, body }) {
      const actor = principalOf(res).user.username;
      await requireUser(db, params.username);
      // Whatever can be refused is checked before anything changes: a weak password first, then
      // the changes guarded by the last-owner rule; the password is set last.
      const problems = body.password === undefined ? [] : passwordProblems(body.password);
      if (problems.length > 0) throw new ValidationError(problems.join('; '), { problems });
      if (body.role !== undefined) await setUserRole(db, params.username, body.role, actor, clock);
      if (body.disabled !== undefined) await setUserDisabled(db, params.username, body.disabled, actor, clock);
      if (body.password !== undefined)
        await setUserPassword(db, params.username, body.password, actor, { clock, scrypt: auth.policy.scrypt });
      return { user: publicUser(await requireUser(db, params.username)) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/tokens',
    summary: 'List API tokens',
    description: 'Names, prefixes and use of every token (never the tokens themselves).',
    tags: ['users'],
    roles: OWNER_ONLY,
    query: z.object({
      username: z.string().min(1).max(64).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(200),
      after: z.coerce.number().int().min(0).optional().describe('the nextAfter of the previous page'),
    }),
    response: z.object({ tokens: z.array(apiTokenSchema), nextAfter: z.number().int().nullable() }),
    async handler({ query }) {
      const userId = query.username ? (await requireUser(db, query.username)).id : undefined;
      const rows = await listApiTokens(db, { userId, limit: query.limit + 1, afterId: query.after });
      const tokens = rows.slice(0, query.limit);
      return { tokens: tokens.map(publicToken), nextAfter: rows.length > query.limit ? tokens[tokens.length - 1]!.id : null };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/tokens',
    summary: 'Issue an API token',
    description:
      "The token acts with its user's role. `secret` is shown in this answer only: it is stored hashed and cannot be shown again.",
    tags: ['users'],
    roles: OWNER_ONLY,
    body: z.object({ username: z.string().min(1).max(64), name: z.string().min(1).max(120) }),
    status: 201,
    response: z.object({ token: apiTokenSchema, secret: z.string() }),
    async handler({ res, body }) {
      const actor = principalOf(res).user.username;
      const { token, secret } = await issueApiToken(db, body.username, body.name, actor, clock);
      return { token: publicToken(token), secret };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/tokens/:id',
    summary: 'Revoke an API token',
    tags: ['users'],
    roles: OWNER_ONLY,
    params: z.object({ id: z.coerce.number().int().min(1) }),
    response: z.object({ token: apiTokenSchema }),
    async handler({ res, params }) {
      return { token: publicToken(await revokeToken(db, params.id, principalOf(res).user.username, clock)) };
    },
  }),
];
