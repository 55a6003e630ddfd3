/** Minor units (pence) as money text; exact integer arithmetic, no floats. */
export function money(minor: number | null, currency: string | null): string {
  if (minor === null) return '—';
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  const symbol = currency === 'GBP' ? '£' : currency === 'EUR' ? '€' : currency === 'USD' ? '$' : '';
  return symbol ? `${sign}${symbol}${text}` : `${sign}${text} ${currency ?? ''}`.trim();
}

/**
 * The shop's time zone (setting shopTimezone): times are stored in UTC, and shown the way the shop
 * owner reads their own clock and WooCommerce's order screen. UTC until the settings are read.
 */
let shopTimeZone = 'UTC';

export function setShopTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    shopTimeZone = zone;
  } catch {
    shopTimeZone = 'UTC'; // a zone this browser does not know: UTC, and dateTime says so
  }
}

/** "23 Nov 2026, 14:55 GMT" / "1 Jul 2026, 10:00 BST": in the shop's time zone, named. */
export function dateTime(iso: string | null): string {
  if (!iso) return '—';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: shopTimeZone,
    timeZoneName: 'short',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

/** "10 Nov" from "2026-11-10". */
export function shortDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** "3 minutes ago", measured against the server's clock so a wrong client clock does not mislead. */
export function ago(iso: string, now: string): string {
  const seconds = Math.round((Date.parse(now) - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 0) return 'just now';
  const units: Array<[number, string]> = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return `${n} ${name}${n === 1 ? '' : 's'} ago`;
  }
  return 'less than a minute ago';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function durationMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
