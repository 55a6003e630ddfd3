import { AppError } from '../domain/errors.ts';

/**
 * Errors talking to the store. Messages name the endpoint (never its query string, which carries
 * OAuth signatures or, with queryStringAuth, the secret) and what the store said; they never hold
 * the request, its headers or the keys.
 */
export class WooError extends AppError {}

/** 401/403: the keys are wrong, lack a permission, or something in front of the store refuses us. */
export class WooAuthError extends WooError {
  constructor(message: string, details: Record<string, unknown>) {
    super('WOO_AUTH_REFUSED', message, 502, details);
  }
}

/** A 4xx other than 401/403/429 (or a redirect): asking again will not help. */
export class WooRequestError extends WooError {
  constructor(message: string, details: Record<string, unknown>) {
    super('WOO_REQUEST_REJECTED', message, 502, details);
  }
}

/** 429, 5xx, timeouts, dropped connections or unreadable bodies, still failing after every retry. */
export class WooUnavailableError extends WooError {
  constructor(message: string, details: Record<string, unknown>) {
    super('WOO_UNAVAILABLE', message, 503, details);
  }
}

/** The store does not behave as the incremental poll needs (e.g. ignores modified_after). */
export class WooUnsupportedStoreError extends WooError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('WOO_STORE_UNSUPPORTED', message, 502, details);
  }
}
