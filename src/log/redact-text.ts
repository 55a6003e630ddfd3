/**
 * Credentials removed from free text that came from outside (a store's error message, the start
 * of a response that is not JSON, a mistyped URL) before it goes into an error, a log line or the
 * summary. Stores and the plugins in front of them quote requests back, and with queryStringAuth a
 * request carries the consumer key and secret; so do URLs with the keys written into them.
 */
const CREDENTIAL_PARAMETER = /\b(consumer_key|consumer_secret|oauth_consumer_key|oauth_signature|oauth_token|password|token)=[^&\s"'<>]*/gi;
// WooCommerce REST keys: ck_/cs_ and 40 hex digits (also when a preview cut them short).
const WOO_KEY = /\bc[ks]_[0-9a-f]{4,}/gi;
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/gi;
const CENSOR = '[redacted]';

export function redactText(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join(CENSOR);
  return out.replace(CREDENTIAL_PARAMETER, `$1=${CENSOR}`).replace(WOO_KEY, CENSOR).replace(URL_USERINFO, `$1${CENSOR}@`);
}
