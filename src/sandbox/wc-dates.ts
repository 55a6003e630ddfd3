/**
 * WooCommerce REST dates: "2026-03-29T01:30:00" with no zone designator; `*_gmt` fields are UTC and
 * the others are in the site's time zone (the sandbox shop is in Europe/London, so BST applies).
 */

/** Epoch seconds → "YYYY-MM-DDTHH:MM:SS" in UTC. */
export function gmtText(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19);
}

const bstCache = new Map<number, [number, number]>();

/** Last Sunday of a month at 01:00 UTC, in epoch seconds. */
function lastSundayAt1Utc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  const day = lastDay.getUTCDate() - lastDay.getUTCDay();
  return Date.UTC(year, month, day, 1) / 1000;
}

/** British Summer Time runs from 01:00 UTC on the last Sunday of March to the last Sunday of October. */
function bstRange(year: number): [number, number] {
  let range = bstCache.get(year);
  if (!range) {
    range = [lastSundayAt1Utc(year, 2), lastSundayAt1Utc(year, 9)];
    bstCache.set(year, range);
  }
  return range;
}

/** Epoch seconds → the shop's local time text (Europe/London). */
export function londonText(epochSeconds: number): string {
  const year = new Date(epochSeconds * 1000).getUTCFullYear();
  const [start, end] = bstRange(year);
  const offset = epochSeconds >= start && epochSeconds < end ? 3600 : 0;
  return gmtText(epochSeconds + offset);
}

/** London local text → epoch seconds (the hour that repeats in October reads as the first one). */
export function londonTextToEpoch(text: string): number | undefined {
  const asUtc = parseGmtText(text);
  if (asUtc === undefined) return undefined;
  const year = new Date(asUtc * 1000).getUTCFullYear();
  const [start, end] = bstRange(year);
  const candidate = asUtc - 3600;
  return candidate >= start && candidate < end ? candidate : asUtc;
}

/**
 * Reads a REST date parameter the way WordPress's rest_parse_date() accepts it: ISO 8601 with an
 * optional fraction and zone; without a zone it is UTC here (the caller decides for local times).
 * Returns epoch seconds (fraction kept) or undefined.
 */
export function parseRestDate(text: string): { epochSeconds: number; hasZone: boolean } | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(text);
  if (!match) return undefined;
  const zone = match[8];
  const iso = `${text.slice(0, 19)}${match[7] ?? ''}${zone ? (zone.length === 3 ? `${zone}:00` : zone) : 'Z'}`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  return { epochSeconds: ms / 1000, hasZone: zone !== undefined };
}

function parseGmtText(text: string): number | undefined {
  const ms = Date.parse(`${text}Z`);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}
