import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { describe, expect, it } from 'vitest';
import { NonceRegistry, verifyOAuth1 } from './oauth1.ts';
import { parsePhpQuery } from './rest-params.ts';

const key = 'ck_test';
const secret = 'cs_test';
const url = 'http://127.0.0.1:4000/wp-json/wc/v3/orders';

/** Signs like @woocommerce/woocommerce-rest-api does over http (HMAC-SHA256, params in the URL). */
function signed(query: string, consumerSecret = secret) {
  const oauth = new OAuth({
    consumer: { key, secret: consumerSecret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base: string, k: string) => createHmac('sha256', k).update(base).digest('base64'),
  });
  const data = oauth.authorize({ url: `${url}?${query}`, method: 'GET' });
  return { ...parsePhpQuery(query), ...Object.fromEntries(Object.entries(data).map(([k, v]) => [k, String(v)])) };
}

const now = () => Math.floor(Date.now() / 1000);
const secretOf = (k: string) => (k === key ? secret : undefined);

describe('OAuth 1.0a as WooCommerce checks it', () => {
  it('when the library signs a request, then the signature verifies, and the nonce cannot be used twice', () => {
    const query = signed('modified_after=2026-01-05T10%3A00%3A00&per_page=100&include=1%2C2%2C3');
    const nonces = new NonceRegistry();
    expect(verifyOAuth1({ method: 'GET', url, query }, secretOf, nonces, now())).toEqual({ ok: true, consumerKey: key });
    expect(verifyOAuth1({ method: 'GET', url, query }, secretOf, nonces, now())).toEqual({
      ok: false,
      message: 'Invalid nonce - nonce has already been used.',
    });
  });

  it('when the secret, a parameter or the address differ, then the signature does not match', () => {
    const nonces = new NonceRegistry();
    const bad = 'Invalid signature - provided signature does not match.';
    expect(verifyOAuth1({ method: 'GET', url, query: signed('page=1', 'cs_other') }, secretOf, nonces, now())).toEqual({
      ok: false,
      message: bad,
    });
    expect(verifyOAuth1({ method: 'GET', url, query: { ...signed('page=1'), page: '2' } }, secretOf, nonces, now())).toEqual({
      ok: false,
      message: bad,
    });
    expect(
      verifyOAuth1({ method: 'GET', url: url.replace('127.0.0.1', 'localhost'), query: signed('page=1') }, secretOf, nonces, now()),
    ).toEqual({ ok: false, message: bad });
  });

  it('when the key is unknown or the timestamp is old, then it is refused with WooCommerce’s words', () => {
    const nonces = new NonceRegistry();
    expect(verifyOAuth1({ method: 'GET', url, query: signed('page=1') }, () => undefined, nonces, now())).toEqual({
      ok: false,
      message: 'Consumer key is invalid.',
    });
    expect(verifyOAuth1({ method: 'GET', url, query: signed('page=1') }, secretOf, nonces, now() + 16 * 60)).toEqual({
      ok: false,
      message: 'Invalid timestamp.',
    });
  });

  it('when a parameter arrives twice (the library sends each in the URL and again as axios params), then PHP keeps the last', () => {
    expect(parsePhpQuery('page=1&per_page=100&page=1&a%5B%5D=x&a%5B%5D=y&s=a+b')).toEqual({
      page: '1',
      per_page: '100',
      'a[]': ['x', 'y'],
      s: 'a b',
    });
  });
});
