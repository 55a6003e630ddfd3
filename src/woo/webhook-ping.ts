/**
 * Saving a webhook in WooCommerce (WC_Webhook::deliver_ping) POSTs `webhook_id=N`, form-encoded,
 * with no signature, and marks the webhook broken unless the answer is exactly 200. The ping is
 * recognised by that exact shape and nothing else: anything carrying a signature, or any other
 * body, is a delivery and must be signed.
 */
const PING_BODY = /^webhook_id=(\d{1,18})$/;
/** Room for `webhook_id=` and an 18-digit id: a longer body is not a ping, whatever it says. */
const PING_MAX_BYTES = 40;

export interface PingRequest {
  rawBody: Buffer;
  contentType: string | undefined;
  signature: string | undefined;
}

/** The webhook id a WooCommerce ping names, or undefined when the request is not a ping. */
export function webhookPingId(request: PingRequest): number | undefined {
  if (request.signature !== undefined) return undefined;
  const mediaType = (request.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== '' && mediaType !== 'application/x-www-form-urlencoded') return undefined;
  if (request.rawBody.length > PING_MAX_BYTES) return undefined;
  const match = PING_BODY.exec(request.rawBody.toString('latin1'));
  return match ? Number(match[1]) : undefined;
}
