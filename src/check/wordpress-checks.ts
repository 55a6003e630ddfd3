import { redactText } from '../log/redact-text.ts';
import { explainRedirect } from '../woo/redirect.ts';
import { finding, type Finding } from './findings.ts';

/** What WordPress's public REST index (`/wp-json/`) says about the site. */
export interface WordPressSite {
  /**
   * The Site Address (Settings → General), which OAuth over http signs; undefined when a security
   * plugin closes the index to anonymous readers (then neither it nor the timezone is known).
   */
  home: string | undefined;
  timezoneString: string;
  gmtOffset: number | undefined;
  namespaces: string[];
}

export interface WordPressCheck {
  findings: Finding[];
  /** Undefined when woo-sage cannot reach WordPress's REST API at WOO_URL/wp-json. */
  site: WordPressSite | undefined;
}

const INDEX_FIELDS = '_fields=home,gmt_offset,timezone_string,namespaces';

type Answer = { kind: 'response'; status: number; location: string | undefined; json: unknown } | { kind: 'unreachable'; reason: string };

/** One unauthenticated GET, no redirects followed, no retries: a person is waiting for the answer. */
async function get(url: string, timeoutMs: number): Promise<Answer> {
  try {
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { kind: 'response', status: res.status, location: res.headers.get('location') ?? undefined, json };
  } catch (err) {
    return { kind: 'unreachable', reason: unreachableReason(err, timeoutMs) };
  }
}

function unreachableReason(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${Math.round(timeoutMs / 100) / 10} s`;
  const code = e?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused: nothing listens at that address and port';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  if (code && /CERT|SSL|TLS/i.test(code)) return `its https certificate is not accepted (${code})`;
  return code ?? e?.cause?.message ?? 'the connection failed';
}

function readIndex(json: unknown): (WordPressSite & { home: string }) | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const body = json as Record<string, unknown>;
  if (!Array.isArray(body.namespaces) || typeof body.home !== 'string') return undefined;
  const offset = Number(body.gmt_offset);
  return {
    home: body.home,
    timezoneString: typeof body.timezone_string === 'string' ? body.timezone_string : '',
    gmtOffset: body.gmt_offset === undefined || !Number.isFinite(offset) ? undefined : offset,
    namespaces: body.namespaces.filter((n): n is string => typeof n === 'string'),
  };
}

function restErrorCode(json: unknown): string | undefined {
  const code = (json as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[a-z0-9_]{1,80}$/.test(code) ? code : undefined;
}

/** "HTTP://Shop.example.com:80/" → "http://shop.example.com": what two addresses are compared as. */
export function normaliseAddress(address: string): string {
  try {
    const url = new URL(address);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return address.replace(/\/+$/, '');
  }
}

function compareSiteAddress(base: string, home: string): Finding {
  const ours = new URL(base);
  const theirs = new URL(normaliseAddress(home));
  const shownHome = normaliseAddress(home);
  if (ours.host === theirs.host && ours.protocol === theirs.protocol) {
    return finding('wp.site-address', 'ok', `WOO_URL is WordPress's Site Address (${shownHome})`);
  }
  if (ours.protocol === 'http:' && ours.host !== theirs.host) {
    // WooCommerce checks an OAuth signature against its own Site Address: another host name for the
    // same site makes every request fail as "invalid signature", which looks like wrong keys.
    return finding(
      'wp.site-address',
      'fatal',
      `WOO_URL's host ${ours.host} is not the host of WordPress's Site Address ${shownHome}: over http the keys sign the address, so the store would refuse every request as "invalid signature"`,
      `set WOO_URL=${shownHome} (or change the Site Address in WordPress, Settings → General)`,
    );
  }
  if (ours.protocol === 'http:' && theirs.protocol === 'https:') {
    return finding(
      'wp.site-address',
      'warn',
      `WOO_URL is http but WordPress's Site Address is ${shownHome}: the keys would travel unencrypted`,
      `set WOO_URL=${shownHome}`,
    );
  }
  return finding('wp.site-address', 'info', `WOO_URL names the site ${ours.host}; WordPress's Site Address is ${shownHome}`);
}

function unreachable(base: string, reason: string): WordPressCheck {
  return {
    site: undefined,
    findings: [
      finding(
        'store.reachable',
        'fatal',
        `the store at ${base} cannot be reached: ${reason}`,
        'check WOO_URL (the shop’s address, e.g. https://shop.example.com) and that the site is up',
      ),
    ],
  };
}

/**
 * Is WordPress's REST API where woo-sage will look for it (WOO_URL/wp-json/)? If not, why: a
 * redirect (to the address to use, or a "guess" to a page), Plain permalinks (the `?rest_route=`
 * form answers), a WOO_URL that is not the Site Address, or no WordPress at all. Then: is
 * WooCommerce's REST API there, and does WOO_URL name the host WordPress signs requests for?
 */
export async function checkWordPress(storeUrl: string, timeoutMs: number): Promise<WordPressCheck> {
  const base = redactText(normaliseAddress(storeUrl));
  const findings: Finding[] = [];
  const first = await get(`${base}/wp-json/?${INDEX_FIELDS}`, timeoutMs);
  if (first.kind === 'unreachable') return unreachable(base, first.reason);
  findings.push(finding('store.reachable', 'ok', `the store at ${base} answers`));

  let site = first.status === 200 ? readIndex(first.json) : undefined;
  if (first.status >= 300 && first.status < 400) {
    const explained = first.location ? explainRedirect(base, '/wp-json/', first.location) : undefined;
    if (explained?.kind === 'moved') {
      findings.push(
        finding(
          'store.redirect',
          'fatal',
          `the store redirects ${base}/wp-json/ to ${explained.location}`,
          `set WOO_URL=${explained.storeUrl}`,
        ),
      );
      return { findings, site: undefined };
    }
    findings.push(
      finding(
        'store.redirect',
        'info',
        explained
          ? `${base}/wp-json/ is redirected to the page ${explained.location}: WordPress "guesses" a page for an address it does not know, so that page is not the address to use`
          : `${base}/wp-json/ is redirected (HTTP ${first.status}) without saying where`,
      ),
    );
  }

  if (!site && (first.status === 401 || first.status === 403) && restErrorCode(first.json)) {
    // "Disable REST API"-style plugins refuse anonymous readers; WooCommerce's keys may still pass.
    findings.push(
      finding(
        'wp.rest-api',
        'warn',
        `WordPress's REST API answers at ${base}/wp-json/ but refuses anonymous readers (${restErrorCode(first.json)}), so its Site Address and timezone cannot be checked`,
        'if the keys are refused below, allow /wp-json/wc/ in the plugin that restricts the REST API',
      ),
    );
    return { findings, site: { home: undefined, timezoneString: '', gmtOffset: undefined, namespaces: [] } };
  }
  if (site) {
    findings.push(finding('wp.rest-api', 'ok', `WordPress's REST API answers at ${base}/wp-json/`));
  } else {
    const viaQuery = await get(`${base}/?rest_route=/&${INDEX_FIELDS}`, timeoutMs);
    const other = viaQuery.kind === 'response' && viaQuery.status === 200 ? readIndex(viaQuery.json) : undefined;
    if (!other) {
      findings.push(
        finding(
          'wp.rest-api',
          'fatal',
          `${base} has no WordPress REST API: neither ${base}/wp-json/ nor ${base}/?rest_route=/ answers with it (HTTP ${first.status})`,
          'set WOO_URL to the WordPress site’s own address (its Site Address in Settings → General), not a page of it',
        ),
      );
      return { findings, site: undefined };
    }
    if (normaliseAddress(other.home) !== base) {
      findings.push(
        finding(
          'wp.rest-api',
          'fatal',
          `${base}/wp-json/ is not WordPress's REST API, but WordPress answers there and says its Site Address is ${normaliseAddress(other.home)}`,
          `set WOO_URL=${normaliseAddress(other.home)}`,
        ),
      );
    } else {
      findings.push(
        finding(
          'wp.permalinks',
          'fatal',
          `WordPress's REST API is not at ${base}/wp-json/ but answers at ${base}/?rest_route=/: the permalinks are set to Plain`,
          'in WordPress, Settings → Permalinks, choose any structure but Plain (e.g. Post name) and save; woo-sage reads the store at /wp-json/',
        ),
      );
    }
    return { findings, site: undefined };
  }

  if (!site.namespaces.includes('wc/v3')) {
    findings.push(
      finding(
        'woo.rest-api',
        'fatal',
        `WordPress answers at ${base} but has no WooCommerce REST API (wc/v3)`,
        'activate WooCommerce in WordPress (Plugins); woo-sage needs WooCommerce 5.8 or newer',
      ),
    );
    return { findings, site: undefined };
  }
  findings.push(finding('woo.rest-api', 'ok', `WooCommerce's REST API (wc/v3) is there`));
  if (site.home !== undefined) findings.push(compareSiteAddress(base, site.home));
  return { findings, site };
}
