/**
 * Sets one meta key on a WooCommerce customer's profile. Linking and code write-back depend only on
 * this; the store client (`createWooClient`, with its retries and error handling) implements it,
 * and tests use fakes.
 */
export interface CustomerProfileWriter {
  updateCustomerMeta(customerId: number, key: string, value: string): Promise<unknown>;
}
