import { describe, expect, it } from 'vitest';
import { isValidWebhookSignature, signWebhookBody } from './webhook-signature.ts';

const body = Buffer.from('{"id":123,"status":"processing"}');

describe('webhook signature', () => {
  it('when the body is signed with the secret, then it is accepted', () => {
    expect(isValidWebhookSignature(body, signWebhookBody(body, 's3cret'), 's3cret')).toBe(true);
  });

  it('when the body, the secret or the signature differ, then it is refused', () => {
    const signature = signWebhookBody(body, 's3cret');
    expect(isValidWebhookSignature(Buffer.from('{"id":124,"status":"processing"}'), signature, 's3cret')).toBe(false);
    expect(isValidWebhookSignature(body, signature, 'other')).toBe(false);
    expect(isValidWebhookSignature(body, undefined, 's3cret')).toBe(false);
    expect(isValidWebhookSignature(body, 'not base64 at all', 's3cret')).toBe(false);
    expect(isValidWebhookSignature(body, signature.slice(0, -4), 's3cret')).toBe(false);
  });

  it('when the signature arrives with white space around it, then it is still the same signature', () => {
    expect(isValidWebhookSignature(body, ` ${signWebhookBody(body, 's3cret')}\r\n`, 's3cret')).toBe(true);
  });

  it('when no secret is configured, then nothing is accepted', () => {
    expect(isValidWebhookSignature(body, signWebhookBody(body, ''), '')).toBe(false);
  });

  it('when the JSON is re-serialised differently, then the signature no longer matches (raw bytes matter)', () => {
    const signature = signWebhookBody(body, 'k');
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(isValidWebhookSignature(reserialised, signature, 'k')).toBe(false);
  });
});
