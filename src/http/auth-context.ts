import type { Knex } from 'knex';
import { DEFAULT_LOGIN_LIMITS, LoginRateLimiter, type LoginLimits } from '../auth/login-rate-limiter.ts';
import { DEFAULT_SCRYPT, type ScryptParams } from '../auth/password.ts';
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from '../auth/sessions.ts';
import type { Clock } from '../domain/clock.ts';

export interface AuthPolicy {
  scrypt: ScryptParams;
  session: SessionPolicy;
  loginLimits: LoginLimits;
}

export interface AuthContext {
  db: Knex;
  clock: Clock;
  policy: AuthPolicy;
  limiter: LoginRateLimiter;
}

export function createAuthContext(db: Knex, clock: Clock, overrides: Partial<AuthPolicy> = {}): AuthContext {
  const policy: AuthPolicy = {
    scrypt: overrides.scrypt ?? DEFAULT_SCRYPT,
    session: overrides.session ?? DEFAULT_SESSION_POLICY,
    loginLimits: overrides.loginLimits ?? DEFAULT_LOGIN_LIMITS,
  };
  return { db, clock, policy, limiter: new LoginRateLimiter(clock, policy.loginLimits) };
}
