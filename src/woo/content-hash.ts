import { createHash } from 'node:crypto';

/**
 * Fields left out of an order's content hash, because they change without the order changing:
 * - `date_modified`, `date_modified_gmt`: bumped by every save, also by plugins touching meta and
 *   by an admin pressing Update without editing anything; an order whose only difference is the
 *   time is the same order, and must not be re-settled or flagged as changed after export;
 * - `version`: the WooCommerce version that last saved the order, which changes on any save after
 *   an upgrade;
 * - `_links`: REST navigation links (the store's address), not order content.
 */
export const VOLATILE_ORDER_FIELDS: ReadonlySet<string> = new Set(['date_modified', 'date_modified_gmt', 'version', '_links']);

/** JSON with object keys sorted at every level, so the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // Built by concatenation: this runs over every order of every page, so no intermediate arrays.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
    first = false;
  }
  return `${out}}`;
}

/** SHA-256 (hex, 64 characters) of an order payload's content, volatile fields left out. */
export function orderContentHash(raw: unknown): string {
  let content = raw;
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    content = Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter(([key]) => !VOLATILE_ORDER_FIELDS.has(key)));
  }
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}
