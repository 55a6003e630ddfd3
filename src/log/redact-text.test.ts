import { describe, expect, it } from 'vitest';
import { redactText } from './redact-text.ts';

const key = 'ck_0123456789abcdef0123456789abcdef01234567';
const secret = 'cs_fedcba9876543210fedcba9876543210fedcba98';

describe('redactText', () => {
  it('when a store quotes a request with its keys, then the keys and signatures are gone and the rest stays readable', () => {
    const said = `Request GET /wp-json/wc/v3/orders?consumer_key=${key}&consumer_secret=${secret}&oauth_signature=abc%3D&page=2 was blocked`;
    expect(redactText(said)).toBe(
      'Request GET /wp-json/wc/v3/orders?consumer_key=[redacted]&consumer_secret=[redacted]&oauth_signature=[redacted]&page=2 was blocked',
    );
  });

  it('when a key appears alone, cut short, inside a URL, or is a custom secret, then it is removed', () => {
    expect(redactText(`keys ${key.slice(0, 20)}`)).toBe('keys [redacted]');
    expect(redactText(`htps://${key}:${secret}@shop.example.com/x`)).toBe('htps://[redacted]@shop.example.com/x');
    expect(redactText('the secret is my-own-secret-value', ['my-own-secret-value'])).toBe('the secret is [redacted]');
  });

  it('when text holds no credentials, then it is unchanged', () => {
    expect(redactText('HTTP 500 internal_server_error: There has been a critical error on this website.')).toBe(
      'HTTP 500 internal_server_error: There has been a critical error on this website.',
    );
  });
});
