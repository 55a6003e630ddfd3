import type { Request, RequestHandler } from 'express';
import { resolveSession } from '../auth/sessions.ts';
import { csrfTokenFor, safeEqualText } from '../auth/secrets.ts';
import { resolveApiToken } from '../auth/tokens.ts';
import { AppError } from '../domain/errors.ts';
import type { AuthContext } from './auth-context.ts';
import { readCookie, SESSION_COOKIE } from './cookies.ts';
import type { Principal } from './principal.ts';

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class UnauthenticatedError extends AppError {
  constructor(message = 'sign in (POST /api/login) or send "Authorization: Bearer <token>"') {
    super('UNAUTHENTICATED', message, 401);
  }
}

function bearerOf(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  // A malformed Authorization header is refused rather than ignored in favour of a cookie.
  return m ? m[1]! : '';
}

async function principalFor(req: Request, auth: AuthContext): Promise<Principal | undefined> {
  const bearer = bearerOf(req);
  if (bearer !== undefined) {
    const found = bearer ? await resolveApiToken(auth.db, bearer, auth.clock) : undefined;
    return found && { user: found.user, via: 'token', tokenId: found.token.id };
  }
  const secret = readCookie(req, SESSION_COOKIE);
  if (!secret) return undefined;
  const session = await resolveSession(auth.db, secret, auth.clock, auth.policy.session);
  return session && { user: session.user, via: 'session', sessionId: session.id, csrfToken: csrfTokenFor(session.secret) };
}

/**
 * Everything mounted after this needs credentials: a bearer token, or a session cookie. Cookie
 * requests that change state must also carry the session's CSRF token in X-CSRF-Token (the
 * synchronizer-token pattern; the page reads the token from /api/login or /api/me). Bearer
 * requests need none: a browser never adds an Authorization header on its own.
 */
export function authenticate(auth: AuthContext): RequestHandler {
  return async (req, res, next) => {
    const principal = await principalFor(req, auth);
    if (!principal) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="woo-sage"');
      throw new UnauthenticatedError();
    }
    if (principal.via === 'session' && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqualText(sent, principal.csrfToken!)) {
        throw new AppError('CSRF_FAILED', `missing or wrong ${CSRF_HEADER} header; reload the page and try again`, 403);
      }
    }
    res.locals.principal = principal;
    next();
  };
}
