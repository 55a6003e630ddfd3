import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * WooCommerce signs each webhook delivery: `X-WC-Webhook-Signature` is the base64 HMAC-SHA256 of
 * the raw request body with the webhook's secret. The check runs on the raw bytes, before any JSON
 * parsing, and compares in constant time.
 */
export function isValidWebhookSignature(rawBody: Buffer, signature: string | undefined, secret: string): boolean {
  if (!signature || !secret) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  // Node's base64 decoder never throws: it skips what is not base64 (white space included), so a
  // malformed signature decodes to other bytes or another length and is refused below.
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function signWebhookBody(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}
