import { londonTextToEpoch, parseRestDate } from './wc-dates.ts';

/**
 * Request parameters read and validated the way the WordPress REST API does it: a bad value is a
 * 400 `rest_invalid_param` naming each parameter.
 */
export type RawQuery = Record<string, unknown>;

export class ParamErrors {
  readonly problems: Record<string, string> = {};

  add(name: string, message: string): void {
    this.problems[name] ??= message;
  }

  get any(): boolean {
    return Object.keys(this.problems).length > 0;
  }
}

function text(query: RawQuery, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) return value.length ? String(value[value.length - 1]) : undefined;
  return value === undefined ? undefined : String(value);
}

export function intParam(query: RawQuery, name: string, errors: ParamErrors, fallback: number, min: number, max = Infinity): number {
  const raw = text(query, name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) {
    errors.add(name, `${name} is not of type integer.`);
    return fallback;
  }
  const value = Number(raw);
  if (value < min || value > max) {
    errors.add(
      name,
      max === Infinity
        ? `${name} must be greater than or equal to ${min}`
        : `${name} must be between ${min} (inclusive) and ${max} (inclusive)`,
    );
    return fallback;
  }
  return value;
}

export function enumParam<T extends string>(query: RawQuery, name: string, errors: ParamErrors, allowed: readonly T[], fallback: T): T {
  const raw = text(query, name);
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    errors.add(name, `${name} is not one of ${allowed.join(', ')}.`);
    return fallback;
  }
  return raw as T;
}

export function boolParam(query: RawQuery, name: string, errors: ParamErrors, fallback: boolean): boolean {
  const raw = text(query, name);
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1'].includes(raw)) return true;
  if (['false', '0'].includes(raw)) return false;
  errors.add(name, `${name} is not of type boolean.`);
  return fallback;
}

/** A date-time parameter in epoch seconds; without a zone it is GMT or the shop's local time. */
export function dateParam(query: RawQuery, name: string, errors: ParamErrors, gmt: boolean): number | undefined {
  const raw = text(query, name);
  if (raw === undefined || raw === '') return undefined;
  const parsed = parseRestDate(raw);
  if (!parsed) {
    errors.add(name, 'Invalid date.');
    return undefined;
  }
  if (parsed.hasZone || gmt) return parsed.epochSeconds;
  return londonTextToEpoch(raw.slice(0, 19)) ?? parsed.epochSeconds;
}

/** `include=1,2,3`, `include[]=1&include[]=2` or `include[0]=1&include[1]=2`. */
export function idListParam(query: RawQuery, name: string, errors: ParamErrors): number[] | undefined {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (key !== name && key !== `${name}[]` && !key.startsWith(`${name}[`)) continue;
    for (const v of Array.isArray(value) ? value : [value]) parts.push(...String(v).split(','));
  }
  if (parts.length === 0) return undefined;
  const ids = parts.map((p) => p.trim()).filter((p) => p !== '');
  if (ids.some((p) => !/^\d+$/.test(p))) {
    errors.add(name, `${name}[0] is not of type integer.`);
    return undefined;
  }
  return ids.map(Number);
}

export function listParam(query: RawQuery, name: string): string[] | undefined {
  const raw = idLike(query, name);
  return raw.length ? raw : undefined;
}

function idLike(query: RawQuery, name: string): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (key !== name && key !== `${name}[]` && !key.startsWith(`${name}[`)) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.push(...String(v).split(','));
  }
  return out.map((s) => s.trim()).filter(Boolean);
}

/**
 * Parses a query string the way PHP fills $_GET: a repeated plain key keeps its last value, a
 * `key[]` key collects values. The WooCommerce client library sends every parameter twice over
 * OAuth (in the URL it signs and again in axios' params), and PHP's parse is why that still works.
 */
export function parsePhpQuery(queryString: string | null | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const part of (queryString ?? '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    const key = decode(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decode(part.slice(eq + 1));
    if (key.endsWith('[]')) {
      const list = out[key];
      out[key] = Array.isArray(list) ? [...list, value] : [value];
    } else {
      out[key] = value;
    }
  }
  return out;
}
