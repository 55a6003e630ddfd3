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

/**
 * Keys as JSON, remembered: every order repeats the same few hundred keys, and quoting one through
 * JSON.stringify on each use was a third of the canonical text's cost. Bounded in number and in
 * length, because keys come from the shop (plugins) and need not repeat or be short.
 */
const quotedKeys = new Map<string, string>();
const QUOTED_KEYS_KEPT = 2048;
const REMEMBERED_KEY_LENGTH = 64;

/** How many keys are remembered: never more than the bound, whatever the shop sends. */
export function rememberedKeyCount(): number {
  return quotedKeys.size;
}

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < QUOTED_KEYS_KEPT && key.length <= REMEMBERED_KEY_LENGTH) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/** JSON with object keys sorted at every level, so the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      // JSON.stringify's text for a number, without the call: finite numbers print as String does.
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return JSON.stringify(value) ?? 'null';
  }
  if (value === null) return 'null';
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
    out += (first ? '' : ',') + quoteKey(key) + ':' + canonicalJson(item);
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
