import WooCommerceRestApiModule from '@woocommerce/woocommerce-rest-api';
import type { StoreConfig } from '../../config/env.ts';
import { silentLogger, type Logger } from '../log/logger.ts';
import { redactText } from '../log/redact-text.ts';
import { WooAuthError, WooRequestError, WooUnavailableError, type WooError } from './errors.ts';
import { explainRedirect } from './redirect.ts';
import { backoffDelay, DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, type RetryPolicy } from './retry-policy.ts';
import { parseCustomer, parseRefund, type WooCustomer, type WooRefund } from './schemas.ts';

/** The store's page size limit: per_page above 100 is a 400. */
export const MAX_PER_PAGE = 100;

export interface OrdersPageQuery {
  /** Orders modified strictly after this instant (whole seconds are sent). */
  modifiedAfter: Date;
  /** And strictly before this one, when set. */
  modifiedBefore?: Date;
  orderby: 'modified' | 'id';
  page: number;
  perPage: number;
  /** Only orders in the bin ('trash'); by default the store's `any`, which leaves the bin out. */
  status?: 'trash';
}

export interface OrdersPage {
  /** The orders as the store sent them, unvalidated (one bad order must not sink the page). */
  items: unknown[];
  /** X-WP-Total, when the store sent it. */
  total: number | undefined;
  totalPages: number | undefined;
  /** The store's clock (Date header), when sent. */
  serverTime: Date | undefined;
}

export interface CustomersFetch {
  customers: WooCustomer[];
  /** Requested ids the store did not return (deleted customers). */
  missing: number[];
  /** Customers the store returned that could not be read, with why. */
  invalid: Array<{ id: number | undefined; reason: string }>;
}

export interface RefundsFetch {
  /** The order's refunds, newest first (as the store lists them). */
  refunds: WooRefund[];
  /** Refunds the store returned that could not be read, with why. */
  invalid: Array<{ id: number | undefined; reason: string }>;
}

/** What the rest of the app needs from a WooCommerce store. */
export interface WooClient {
  fetchOrdersPage(query: OrdersPageQuery): Promise<OrdersPage>;
  /** Profiles of these customers, ≤ 100 per request via `include`. */
  fetchCustomers(ids: readonly number[]): Promise<CustomersFetch>;
  /** `PUT customers/{id}` with `meta_data:[{key,value}]` (an existing key is updated in place). */
  updateCustomerMeta(customerId: number, key: string, value: string): Promise<WooCustomer>;
  /** `GET orders/{id}/refunds`: each refund with its lines (the order itself only lists id, reason and total). */
  fetchOrderRefunds(orderId: number): Promise<RefundsFetch>;
  /** Any read below wc/v3 (`system_status`, `settings/general`, `taxes`…): the parsed JSON, unvalidated. */
  getJson(endpoint: string, params?: Record<string, string>): Promise<{ json: unknown; headers: Record<string, unknown> }>;
  /**
   * Whether the keys may write, learnt without writing: a POST to a route that does not exist.
   * WooCommerce checks a key's permission before it looks for the route, so a read-only key gets
   * 401 "does not have write permissions" and a read/write key 404 `rest_no_route`; no handler runs.
   */
  keysMayWrite(): Promise<boolean>;
  /** HTTP requests sent so far, retries included. */
  readonly requestCount: number;
}

/** The route `keysMayWrite` posts to; WooCommerce has none of this name. */
export const PERMISSION_PROBE_ENDPOINT = 'woo-sage-permission-probe';

export interface WooClientOptions {
  /** Per request; the library's `timeout`. Default 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
  /** Injected by tests so backoff does not really wait. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => Date;
}

interface RawResponse {
  status: number;
  data: unknown;
  headers: Record<string, unknown>;
}

interface RestLibrary {
  get(endpoint: string, params?: Record<string, string>): Promise<RawResponse>;
  put(endpoint: string, data: unknown, params?: Record<string, string>): Promise<RawResponse>;
  post(endpoint: string, data: unknown, params?: Record<string, string>): Promise<RawResponse>;
}

type RestLibraryConstructor = new (options: Record<string, unknown>) => RestLibrary;

/**
 * Under Node ESM the package's default import is its CommonJS exports object, whose `default` is
 * the class; bundlers (vitest) hand over the class itself.
 */
function libraryConstructor(): RestLibraryConstructor {
  const mod = WooCommerceRestApiModule as unknown as { default?: RestLibraryConstructor } & RestLibraryConstructor;
  return mod.default ?? mod;
}

/** "2026-01-05T10:11:12" — the store reads it as GMT because we also send dates_are_gmt=true. */
export function wooDateParam(at: Date): string {
  return at.toISOString().slice(0, 19);
}

/** A failure of one attempt: retry it or give up with `error`. */
interface AttemptFailure {
  retryable: boolean;
  error: WooError;
  retryAfterMs?: number;
  reason: string;
}

/** Network failures in a person's words; the code and the driver's text follow in brackets. */
const NETWORK_WORDS = new Map([
  ['ECONNREFUSED', 'nothing answers there (connection refused)'],
  ['ENOTFOUND', 'the host name cannot be found'],
  ['EAI_AGAIN', 'the host name cannot be looked up just now'],
  ['ECONNRESET', 'the connection was dropped'],
  ['EHOSTUNREACH', 'the host cannot be reached'],
  ['ENETUNREACH', 'the network cannot be reached'],
]);

function header(headers: Record<string, unknown>, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return value === undefined || value === null ? undefined : String(value);
}

function describeBody(data: unknown): { code?: string; message?: string } {
  if (typeof data !== 'string') return {};
  try {
    const body = JSON.parse(data) as { code?: unknown; message?: unknown };
    return {
      code: typeof body.code === 'string' ? body.code.slice(0, 80) : undefined,
      message: typeof body.message === 'string' ? body.message.replace(/<[^>]*>/g, '').slice(0, 200) : undefined,
    };
  } catch {
    return {};
  }
}

/** A 404 that is a page rather than a REST error: /wp-json is not WordPress's REST API at WOO_URL. */
const NOT_THE_REST_API =
  ": WOO_URL/wp-json answers with a page, not WordPress's REST API (a wrong WOO_URL or Plain permalinks; woo-sage check says which)";

function storeSaid(status: number, data: unknown, scrub: (text: string) => string): string {
  const { code, message } = describeBody(data);
  return scrub(`HTTP ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`);
}

/**
 * A WooCommerce REST v3 client on `@woocommerce/woocommerce-rest-api` 1.0.2, with the library's
 * traps avoided: the axiosConfig we pass only sets response handling (it is shallow-merged last
 * and would replace the library's params, auth and headers); page URLs are built from our own
 * parameters, never from the Link header (over http it replays a used OAuth nonce, and with
 * queryStringAuth it carries the secret); responses are parsed here so a PHP notice before the JSON
 * is caught instead of silently becoming a string; nothing from a request or response's headers
 * is ever logged or put in an error.
 */
export function createWooClient(store: StoreConfig, options: WooClientOptions = {}): WooClient {
  const Library = libraryConstructor();
  const api = new Library({
    url: store.url,
    consumerKey: store.consumerKey,
    consumerSecret: store.consumerSecret,
    version: 'wc/v3',
    timeout: options.timeoutMs ?? 30_000,
    axiosConfig: { responseType: 'text', transformResponse: [(data: unknown) => data], maxRedirects: 0 },
  });
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const logger = options.logger ?? silentLogger;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => new Date());
  // What the store says goes into errors and logs: a store or plugin that quotes the request back
  // would otherwise put our keys there.
  const scrub = (text: string) => redactText(text, [store.consumerKey, store.consumerSecret]);
  let requestCount = 0;

  function classify(err: unknown, what: string): AttemptFailure {
    const e = err as { response?: RawResponse; code?: string; message?: string };
    const response = e?.response;
    if (response && response.status < 300) {
      // Headers arrived, then the body broke off (a proxy timeout, a PHP worker killed mid-answer).
      const code = typeof e.code === 'string' ? e.code : 'ERROR';
      return {
        retryable: true,
        reason: `response cut off (${code})`,
        error: new WooUnavailableError(`the store's answer to ${what} was cut off (HTTP ${response.status}, ${code})`, {
          status: response.status,
          endpoint: what,
        }),
      };
    }
    if (response) {
      const status = response.status;
      const said = storeSaid(status, response.data, scrub);
      const { code: storeCode, message: storeMessage } = describeBody(response.data);
      const storeSaidParts = { storeCode, storeMessage: storeMessage === undefined ? undefined : scrub(storeMessage) };
      if (status === 401 || status === 403) {
        const firewall = status === 403 && !storeCode ? ', or a firewall in front of the store blocks API requests' : '';
        return {
          retryable: false,
          reason: said,
          error: new WooAuthError(
            `the store refused our API keys for ${what} (${said}): check WOO_CONSUMER_KEY and WOO_CONSUMER_SECRET, and that the key has Read/Write permission${firewall}`,
            { status, endpoint: what, ...storeSaidParts },
          ),
        };
      }
      if (status >= 300 && status < 400) {
        const location = scrub(header(response.headers, 'location')?.split('?')[0] ?? '') || undefined;
        const explained = location ? explainRedirect(store.url, `/wp-json/wc/v3/${what.split(' ')[1]}`, location) : undefined;
        return {
          retryable: false,
          reason: `HTTP ${status}`,
          error: new WooRequestError(
            explained
              ? `${what} (HTTP ${status}): ${explained.text}`
              : `the store redirected ${what} (HTTP ${status}${location ? ` to ${location}` : ''}); run woo-sage check to see why`,
            { status, endpoint: what, ...(explained ? { redirect: explained.kind, location: explained.location } : {}) },
          ),
        };
      }
      if (isRetryableStatus(status)) {
        return {
          retryable: true,
          reason: said,
          retryAfterMs: status === 429 || status === 503 ? parseRetryAfter(header(response.headers, 'retry-after'), now()) : undefined,
          error: new WooUnavailableError(`the store did not answer ${what} (${said})`, { status, endpoint: what }),
        };
      }
      return {
        retryable: false,
        reason: said,
        error: new WooRequestError(`the store rejected ${what} (${said})${status === 404 && !storeCode ? NOT_THE_REST_API : ''}`, {
          status,
          endpoint: what,
          ...storeSaidParts,
        }),
      };
    }
    const code = typeof e?.code === 'string' ? e.code : 'ERROR';
    const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
    const detail = scrub(`${code}${e?.message && !e.message.includes('://') ? ` ${e.message}` : ''}`);
    const words = NETWORK_WORDS.get(code);
    const reason = timedOut ? 'timed out' : words ? `${words} (${detail})` : detail;
    return {
      retryable: code !== 'ERR_INVALID_URL',
      reason,
      error: new WooUnavailableError(`could not reach the store for ${what} (${reason})`, { endpoint: what, cause: code }),
    };
  }

  /** Sends one logical request with retries; returns the parsed JSON body and the headers. */
  async function call(method: 'get' | 'put' | 'post', endpoint: string, params: Record<string, string>, body?: unknown) {
    const what = `${method.toUpperCase()} ${endpoint}`;
    for (let attempt = 1; ; attempt++) {
      requestCount++;
      const started = Date.now();
      let failure: AttemptFailure;
      try {
        const response = method === 'get' ? await api.get(endpoint, params) : await api[method](endpoint, body, params);
        const text = typeof response.data === 'string' ? response.data : '';
        try {
          const json: unknown = JSON.parse(text);
          logger.debug({ endpoint: what, page: params.page, attempt, status: response.status, ms: Date.now() - started }, 'store request');
          return { json, headers: response.headers };
        } catch {
          // Scrubbed before it is cut, so no part of a key survives at the cut.
          const start = scrub(text.replace(/\s+/g, ' ')).slice(0, 60);
          failure = {
            retryable: true,
            reason: 'response is not JSON',
            error: new WooUnavailableError(
              `the store answered ${what} with something that is not JSON (HTTP ${response.status}, ${text.length} characters${start ? `, starting "${start}"` : ''}); a PHP notice or a cut-off response is the usual cause`,
              { status: response.status, endpoint: what },
            ),
          };
        }
      } catch (err) {
        failure = classify(err, what);
      }
      if (!failure.retryable || attempt >= policy.attempts) {
        if (attempt > 1) failure.error.message += ` after ${attempt} attempts`;
        Object.assign(failure.error.details, { attempts: attempt });
        throw failure.error;
      }
      let delay = backoffDelay(policy, attempt, random);
      if (failure.retryAfterMs !== undefined) {
        if (failure.retryAfterMs > policy.maxRetryAfterMs) {
          failure.error.message += `; it asks us to wait ${Math.ceil(failure.retryAfterMs / 1000)} s, longer than we wait within one run`;
          throw failure.error;
        }
        delay = Math.max(delay, failure.retryAfterMs);
      }
      logger.warn(
        { endpoint: what, attempt, of: policy.attempts, reason: failure.reason, delayMs: delay },
        'store request failed; retrying',
      );
      await sleep(delay);
    }
  }

  return {
    get requestCount() {
      return requestCount;
    },

    async getJson(endpoint, params = {}) {
      return call('get', endpoint, params);
    },

    async keysMayWrite() {
      try {
        await call('post', PERMISSION_PROBE_ENDPOINT, {}, {});
      } catch (err) {
        const details = (err as WooError).details ?? {};
        if (details.status === 404 && details.storeCode === 'rest_no_route') return true;
        if (err instanceof WooAuthError && /write permission/i.test(String(details.storeMessage ?? ''))) return false;
        throw err;
      }
      // A store that answers a route it cannot have is not one we can read the permission from.
      throw new WooRequestError(`the store answered POST ${PERMISSION_PROBE_ENDPOINT}, a route WooCommerce does not have`, {
        endpoint: `POST ${PERMISSION_PROBE_ENDPOINT}`,
      });
    },

    async fetchOrdersPage(query) {
      if (query.perPage < 1 || query.perPage > MAX_PER_PAGE) throw new RangeError(`perPage must be 1-${MAX_PER_PAGE}`);
      const params: Record<string, string> = {
        modified_after: wooDateParam(query.modifiedAfter),
        dates_are_gmt: 'true',
        orderby: query.orderby,
        order: 'asc',
        per_page: String(query.perPage),
        page: String(query.page),
      };
      if (query.modifiedBefore) params.modified_before = wooDateParam(query.modifiedBefore);
      if (query.status) params.status = query.status;
      const { json, headers } = await call('get', 'orders', params);
      if (!Array.isArray(json)) {
        throw new WooUnavailableError('the store answered GET orders with something other than a list of orders', {
          endpoint: 'GET orders',
        });
      }
      const number = (name: string) => {
        const value = Number(header(headers, name));
        return Number.isFinite(value) && header(headers, name) !== undefined ? value : undefined;
      };
      const date = header(headers, 'date');
      const serverTime = date ? new Date(date) : undefined;
      return {
        items: json,
        total: number('x-wp-total'),
        totalPages: number('x-wp-totalpages'),
        serverTime: serverTime && !Number.isNaN(serverTime.getTime()) ? serverTime : undefined,
      };
    },

    async fetchCustomers(ids) {
      const wanted = [...new Set(ids.filter((id) => Number.isSafeInteger(id) && id > 0))];
      const result: CustomersFetch = { customers: [], missing: [], invalid: [] };
      for (let i = 0; i < wanted.length; i += MAX_PER_PAGE) {
        const batch = wanted.slice(i, i + MAX_PER_PAGE);
        // role=all: the endpoint lists only the "customer" role by default, and trade buyers often have another.
        const { json } = await call('get', 'customers', {
          include: batch.join(','),
          per_page: String(MAX_PER_PAGE),
          role: 'all',
          orderby: 'id',
          order: 'asc',
        });
        if (!Array.isArray(json)) {
          throw new WooUnavailableError('the store answered GET customers with something other than a list of customers', {
            endpoint: 'GET customers',
          });
        }
        const seen = new Set<number>();
        for (const raw of json) {
          const parsed = parseCustomer(raw);
          if (parsed.ok) {
            seen.add(parsed.value.id);
            result.customers.push(parsed.value);
          } else {
            const id = Number((raw as { id?: unknown } | null)?.id);
            if (Number.isSafeInteger(id)) seen.add(id);
            result.invalid.push({ id: Number.isSafeInteger(id) ? id : undefined, reason: parsed.reason });
          }
        }
        result.missing.push(...batch.filter((id) => !seen.has(id)));
      }
      return result;
    },

    async fetchOrderRefunds(orderId) {
      if (!Number.isSafeInteger(orderId) || orderId <= 0) throw new RangeError('a WooCommerce order id is a positive whole number');
      const result: RefundsFetch = { refunds: [], invalid: [] };
      const endpoint = `orders/${orderId}/refunds`;
      for (let page = 1; ; page++) {
        const { json } = await call('get', endpoint, { per_page: String(MAX_PER_PAGE), page: String(page), dates_are_gmt: 'true' });
        if (!Array.isArray(json)) {
          throw new WooUnavailableError(`the store answered GET ${endpoint} with something other than a list of refunds`, {
            endpoint: `GET ${endpoint}`,
          });
        }
        for (const raw of json) {
          const parsed = parseRefund(raw);
          if (parsed.ok) result.refunds.push(parsed.value);
          else {
            const id = Number((raw as { id?: unknown } | null)?.id);
            result.invalid.push({ id: Number.isSafeInteger(id) ? id : undefined, reason: parsed.reason });
          }
        }
        if (json.length < MAX_PER_PAGE) return result;
      }
    },

    async updateCustomerMeta(customerId, key, value) {
      if (!Number.isSafeInteger(customerId) || customerId <= 0)
        throw new RangeError('a WooCommerce customer id is a positive whole number');
      const { json } = await call('put', `customers/${customerId}`, {}, { meta_data: [{ key, value }] });
      const parsed = parseCustomer(json);
      if (!parsed.ok) {
        throw new WooUnavailableError(`the store answered PUT customers/${customerId} with a customer we cannot read (${parsed.reason})`, {
          endpoint: `PUT customers/${customerId}`,
        });
      }
      return parsed.value;
    },
  };
}
