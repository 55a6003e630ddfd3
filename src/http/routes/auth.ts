import { z } from 'zod';
import { verifyLogin } from '../../auth/login.ts';
import { MAX_PASSWORD_LENGTH } from '../../auth/password.ts';
import { EVERY_ROLE } from '../../domain/roles.ts';
import { csrfTokenFor } from '../../auth/secrets.ts';
import { endSession, resolveSession, startSession } from '../../auth/sessions.ts';
import { setUserPassword } from '../../auth/users.ts';
import { AppError } from '../../domain/errors.ts';
import { CSRF_HEADER } from '../authenticate.ts';
import { clearSessionCookie, readCookie, SESSION_COOKIE, setSessionCookie } from '../cookies.ts';
import { principalOf } from '../principal.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';
import { publicUser, userSchema } from '../schemas.ts';

const credentials = z.object({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});

const sessionAnswer = z.object({
  user: userSchema,
  via: z.enum(['session', 'token']),
  csrfToken: z.string().optional().describe(`send it as the ${CSRF_HEADER} header on POST/PUT/PATCH/DELETE made with the session cookie`),
});

/** One answer for unknown user, wrong password and disabled user: it must not tell them apart. */
const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 'invalid username or password', 401);

export const authRoutes: RouteModule = ({ db, clock, logger, auth }) => [
  defineRoute({
    method: 'post',
    path: '/api/login',
    summary: 'Sign in and start a session',
    description:
      'Sets an HttpOnly, SameSite=Strict session cookie (Secure over https) with a new random id (any session the ' +
      'client had is ended first: no session fixation) and returns the CSRF token. Attempts are limited per ' +
      'username and address (429 with Retry-After); each is counted before the password is checked, so parallel guesses ' +
      'cannot exceed the limit.',
    tags: ['auth'],
    roles: 'public',
    body: credentials,
    response: sessionAnswer,
    async handler({ req, res, body }) {
      const ip = req.ip ?? 'unknown';
      const wait = auth.limiter.reserve(body.username, ip);
      if (wait > 0) {
        res.setHeader('Retry-After', String(wait));
        throw new AppError('TOO_MANY_ATTEMPTS', 'too many failed sign-ins; wait a few minutes and try again', 429, {
          retryAfterSeconds: wait,
        });
      }
      const user = await verifyLogin(db, body.username, body.password, { clock, scrypt: auth.policy.scrypt });
      if (!user) {
        logger.warn({ ip }, 'sign-in refused');
        throw invalidCredentials();
      }
      auth.limiter.recordSuccess(body.username, ip);
      const previous = readCookie(req, SESSION_COOKIE);
      const old = previous ? await resolveSession(db, previous, clock, auth.policy.session) : undefined;
      if (old) await endSession(db, old.id);
      const session = await startSession(db, user, { ip, userAgent: req.get('user-agent') ?? null }, clock, auth.policy.session);
      setSessionCookie(req, res, session.secret);
      logger.info({ user: user.username, ip }, 'signed in');
      return { user: publicUser(user), via: 'session', csrfToken: csrfTokenFor(session.secret) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/logout',
    summary: 'End the current session',
    tags: ['auth'],
    roles: EVERY_ROLE,
    async handler({ req, res }) {
      const principal = principalOf(res);
      if (principal.sessionId !== undefined) await endSession(db, principal.sessionId);
      clearSessionCookie(req, res);
      return undefined;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/me',
    summary: 'Show who is signed in',
    tags: ['auth'],
    roles: EVERY_ROLE,
    response: sessionAnswer,
    async handler({ res }) {
      const principal = principalOf(res);
      return { user: publicUser(principal.user), via: principal.via, ...(principal.csrfToken ? { csrfToken: principal.csrfToken } : {}) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/me/password',
    summary: 'Change your own password',
    description: 'Needs the current password. Ends every other session of the user; this one stays signed in.',
    tags: ['auth'],
    roles: EVERY_ROLE,
    body: z.object({
      currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH),
      newPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH),
    }),
    async handler({ req, res, body }) {
      const { user, sessionId } = principalOf(res);
      const ip = req.ip ?? 'unknown';
      // The current password is a password guess like any other: limited the same way.
      const wait = auth.limiter.reserve(user.username, ip);
      if (wait > 0) {
        res.setHeader('Retry-After', String(wait));
        throw new AppError('TOO_MANY_ATTEMPTS', 'too many failed attempts; wait a few minutes and try again', 429, {
          retryAfterSeconds: wait,
        });
      }
      if (!(await verifyLogin(db, user.username, body.currentPassword, { clock, scrypt: auth.policy.scrypt }))) {
        throw new AppError('INVALID_CREDENTIALS', 'the current password is wrong', 403);
      }
      auth.limiter.recordSuccess(user.username, ip);
      await setUserPassword(db, user.username, body.newPassword, user.username, {
        clock,
        scrypt: auth.policy.scrypt,
        keepSessionId: sessionId,
      });
      return undefined;
    },
  }),
];
