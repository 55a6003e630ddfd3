import { isDecimalText, toMinorUnits } from '../domain/money.ts';
import { decodeEntities, removeXmlForbidden, singleLine, truncateChars } from '../domain/text.ts';
import { parseOrder, wooGmtToIso } from './schemas.ts';

/** The inbox columns an order payload fills (see the orders table). */
export interface OrderFacts {
  id: number;
  number: string | null;
  status: string;
  customerId: number;
  billingEmail: string | null;
  /** The buyer as support reads them in a list: "Jo Bloggs (Bloggs Ltd)", decoded, one line, clipped. */
  billingName: string | null;
  currency: string | null;
  totalMinor: number | null;
  dateCreated: string | null;
  /** date_modified_gmt as a UTC ISO string; undefined when the payload has none we can read. */
  dateModified: string | undefined;
}

export type ReadOrder =
  | { ok: true; id: number; facts: OrderFacts }
  /** Unusable as an order but it has an id: stored as held with `reason`. */
  | { ok: false; id: number; facts: OrderFacts; reason: string }
  /** Not even an id: cannot be stored at all. */
  | { ok: false; id: undefined; reason: string };

const clip = (value: string, max: number) => (value.length > max ? value.slice(0, max) : value);
const nonEmpty = (value: unknown, max: number) => (typeof value === 'string' && value.trim() !== '' ? clip(value.trim(), max) : null);

function minor(value: unknown): number | null {
  try {
    return isDecimalText(value) ? toMinorUnits(value as string | number) : null;
  } catch {
    return null;
  }
}

/** A positive whole id from a raw payload, the way the schema would read it. */
function rawId(raw: unknown): number | undefined {
  const value = (raw as { id?: unknown } | null)?.id;
  const id = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** Longest buyer name kept for lists; the full address stays in the payload. */
export const BILLING_NAME_MAX = 120;

/**
 * "Hal Harris (Harris Plumbing Ltd)", "Hal Harris" or "Harris Plumbing Ltd" from a raw billing
 * address: entities decoded (WooCommerce escapes a typed "&"), control characters dropped, one
 * line, at most BILLING_NAME_MAX characters; null when there is no name at all.
 */
export function billingNameOf(billing: unknown): string | null {
  const field = (key: string) => {
    const value =
      typeof billing === 'object' && billing !== null && Object.hasOwn(billing, key)
        ? (billing as Record<string, unknown>)[key]
        : undefined;
    return typeof value === 'string' ? singleLine(removeXmlForbidden(decodeEntities(value))) : '';
  };
  const person = [field('first_name'), field('last_name')].filter(Boolean).join(' ');
  const company = field('company');
  const name = person && company ? `${person} (${company})` : person || company;
  return name ? truncateChars(name, BILLING_NAME_MAX) : null;
}

/** Best-effort facts of any payload with an id: a broken order is still shown with what it has. */
function factsOf(raw: Record<string, unknown>, id: number): OrderFacts {
  const billing = (raw.billing ?? {}) as Record<string, unknown>;
  const customer = Number(raw.customer_id);
  return {
    id,
    number: nonEmpty(typeof raw.number === 'number' ? String(raw.number) : raw.number, 64),
    status: nonEmpty(raw.status, 32) ?? 'unknown',
    customerId: Number.isSafeInteger(customer) && customer > 0 ? customer : 0,
    billingEmail: nonEmpty(billing?.email, 255),
    billingName: billingNameOf(raw.billing),
    currency: nonEmpty(raw.currency, 3),
    totalMinor: minor(raw.total),
    dateCreated: typeof raw.date_created_gmt === 'string' ? (wooGmtToIso(raw.date_created_gmt) ?? null) : null,
    dateModified: typeof raw.date_modified_gmt === 'string' ? wooGmtToIso(raw.date_modified_gmt) : undefined,
  };
}

/** Reads one order of a page: valid, held with a reason, or skipped for want of an id. */
export function readOrder(raw: unknown): ReadOrder {
  const parsed = parseOrder(raw);
  const id = parsed.ok ? parsed.value.id : rawId(raw);
  if (id === undefined) return { ok: false, id: undefined, reason: parsed.ok ? 'no id' : parsed.reason };
  const facts = factsOf(raw as Record<string, unknown>, id);
  if (!parsed.ok) return { ok: false, id, facts, reason: parsed.reason };
  if (!facts.dateModified && parsed.value.date_modified_gmt) {
    return {
      ok: false,
      id,
      facts,
      reason: `date_modified_gmt: is not a date (got ${JSON.stringify(parsed.value.date_modified_gmt).slice(0, 40)})`,
    };
  }
  return { ok: true, id, facts };
}
