import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * OAuth 1.0a one-legged request signing as WooCommerce checks it over plain http
 * (WC_REST_Authentication::perform_oauth_authentication): the signature covers the method, the
 * site's own URL for the path and every query parameter; timestamps older than 15 minutes and
 * nonces already used by the key are refused.
 */

const NONCE_WINDOW_SECONDS = 15 * 60;

/** RFC 3986 encoding, PHP's rawurlencode(). */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export type QueryParams = Record<string, string | string[] | undefined>;

export type OAuthResult = { ok: true; consumerKey: string } | { ok: false; message: string };

export class NonceRegistry {
  private readonly used = new Map<string, Map<string, number>>();

  /** False when the key already used the nonce within the window. */
  claim(consumerKey: string, nonce: string, timestamp: number, nowSec: number): boolean {
    let nonces = this.used.get(consumerKey);
    if (!nonces) this.used.set(consumerKey, (nonces = new Map()));
    if (nonces.has(nonce)) return false;
    nonces.set(nonce, timestamp);
    if (nonces.size > 10_000) {
      for (const [n, at] of nonces) if (at < nowSec - NONCE_WINDOW_SECONDS) nonces.delete(n);
    }
    return true;
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The signature base string: METHOD&url&sorted, encoded parameters. */
export function signatureBase(method: string, url: string, params: QueryParams): string {
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(params)) {
    if (key === 'oauth_signature' || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) pairs.push([rfc3986(key), rfc3986(v)]);
  }
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  const query = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  return `${method.toUpperCase()}&${rfc3986(url)}&${rfc3986(query)}`;
}

export function verifyOAuth1(
  request: { method: string; url: string; query: QueryParams },
  secretOf: (consumerKey: string) => string | undefined,
  nonces: NonceRegistry,
  nowSec: number,
): OAuthResult {
  const q = request.query;
  const required = ['oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method'];
  const missing = required.filter((name) => !single(q[name]));
  if (missing.length > 0) return { ok: false, message: `${missing.join(', ')} parameter is missing` };
  const consumerKey = single(q.oauth_consumer_key)!;
  const secret = secretOf(consumerKey);
  if (secret === undefined) return { ok: false, message: 'Consumer key is invalid.' };
  const method = single(q.oauth_signature_method)!;
  if (method !== 'HMAC-SHA1' && method !== 'HMAC-SHA256') return { ok: false, message: 'Invalid signature - signature method is invalid.' };
  // A "+" in the signature arrives as a space when a client did not encode it.
  const given = single(q.oauth_signature)!.replace(/ /g, '+');
  const expected = createHmac(method === 'HMAC-SHA1' ? 'sha1' : 'sha256', `${secret}&`)
    .update(signatureBase(request.method, request.url, q))
    .digest('base64');
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b))
    return { ok: false, message: 'Invalid signature - provided signature does not match.' };
  const timestamp = Number(single(q.oauth_timestamp));
  if (!Number.isFinite(timestamp) || timestamp < nowSec - NONCE_WINDOW_SECONDS) return { ok: false, message: 'Invalid timestamp.' };
  if (!nonces.claim(consumerKey, single(q.oauth_nonce)!, timestamp, nowSec)) {
    return { ok: false, message: 'Invalid nonce - nonce has already been used.' };
  }
  return { ok: true, consumerKey };
}
