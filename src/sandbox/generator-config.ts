/** What the sandbox's deterministic generators need to produce order i or customer c on demand. */
export interface GeneratorConfig {
  seed: number;
  /** Orders generated at start (more can be created while running). */
  orders: number;
  customers: number;
  /** Epoch seconds of order index 0's last modification; order i is modified at start + ⌊i × secondsPerOrder⌋. */
  startSec: number;
  /** Below 1, several orders share a modification second (ties, as bulk edits make them). */
  secondsPerOrder: number;
  /** The id of order index 0; ids step by 2, as refunds and notes take ids in between in WordPress. */
  firstOrderId: number;
  /** The shop's "prices entered with tax" setting; `mixed` varies it per order to cover both. */
  pricesIncludeTax: boolean | 'mixed';
  /** Where `_links` point, e.g. "http://127.0.0.1:41234". */
  origin: string;
  /** The customer meta key carrying a Sage account code. */
  profileMetaKey: string;
  /** Most lines in one order (default 4); above 4, line counts run from 1 to this (at most 10). */
  maxLines?: number;
}

export const REST_PREFIX = '/wp-json/wc/v3';

export function baseModifiedSec(config: GeneratorConfig, index: number): number {
  return config.startSec + Math.floor(index * config.secondsPerOrder);
}

export function orderIdOf(config: GeneratorConfig, index: number): number {
  return config.firstOrderId + 2 * index;
}

/** The generated index of an order id, or undefined for ids the generator did not make. */
export function orderIndexOf(config: GeneratorConfig, id: number): number | undefined {
  const offset = id - config.firstOrderId;
  if (!Number.isInteger(offset) || offset < 0 || offset % 2 !== 0) return undefined;
  const index = offset / 2;
  return index < config.orders ? index : undefined;
}
