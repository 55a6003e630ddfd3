import type { Response } from 'express';
import type { User } from '../db/users.ts';

/** Who is making a request, and how they proved it. */
export interface Principal {
  user: User;
  via: 'session' | 'token';
  sessionId?: number;
  /** Session requests only: the token state-changing requests must echo in X-CSRF-Token. */
  csrfToken?: string;
  tokenId?: number;
}

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  // Routes behind `authenticate` always have one; reaching this is a wiring bug, not a client error.
  if (!principal) throw new Error('no principal on an authenticated route');
  return principal;
}
