import type { Identity } from './people.ts';

/**
 * WooCommerce returns text typed at checkout HTML-escaped: "Smith & Sons" comes back as
 * "Smith &amp; Sons" (seen on a real WooCommerce 7.8 store), so the sandbox sends it that way.
 */
export function wooEscaped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A billing or shipping block as the REST API sends it: the typed fields escaped, email and phone as they are. */
export function wooEscapedAddress<T extends Partial<Identity>>(address: T): T {
  const out = { ...address };
  for (const key of ['first_name', 'last_name', 'company', 'address_1', 'address_2', 'city', 'state'] as const) {
    const value = out[key];
    if (typeof value === 'string') out[key] = wooEscaped(value) as T[typeof key];
  }
  return out;
}
