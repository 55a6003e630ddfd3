import express, { type NextFunction, type Request, type Response } from 'express';
import type { FaultControl } from './faults.ts';
import { REST_PREFIX } from './generator-config.ts';
import { NonceRegistry, verifyOAuth1, type QueryParams } from './oauth1.ts';
import {
  boolParam,
  dateParam,
  enumParam,
  idListParam,
  intParam,
  listParam,
  ParamErrors,
  parsePhpQuery,
  type RawQuery,
} from './rest-params.ts';
import { invalidParams, listHeaders, restError, send } from './responses.ts';
import type { SandboxSite } from './site-config.ts';
import { siteRoutes } from './site-routes.ts';
import { ORDER_STATUSES, type SandboxStore } from './store.ts';
import { wordpressFront, type SignedAs } from './wordpress-front.ts';

export type KeyPermissions = 'read' | 'write' | 'read_write';

export interface RequestInfo {
  /** 1 for the first request the sandbox received. */
  sequence: number;
  method: string;
  /** Path below /wp-json/wc/v3, e.g. "/orders". */
  path: string;
  query: Record<string, unknown>;
}

export type RequestHook = (info: RequestInfo) => void | Promise<void>;

export interface RequestCounts {
  total: number;
  orders: number;
  customers: number;
  writes: number;
  refused: number;
}

export interface AppDeps {
  store: SandboxStore;
  faults: FaultControl;
  /** Where the sandbox listens, e.g. "http://127.0.0.1:41234". */
  origin: () => string;
  /** WordPress's Site Address: the origin unless the site is set up with another host. */
  home: () => string;
  site: () => SandboxSite;
  keys: { consumerKey: string; consumerSecret: string; permissions: KeyPermissions };
  hooks: Set<RequestHook>;
  counts: RequestCounts;
  /** Ties inside a second come back in a different order per request unless "stable". */
  tieOrder: 'random' | 'stable';
}

/** Express app for the store's REST API under /wp-json/wc/v3. */
export function createSandboxApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', (queryString: string) => parsePhpQuery(queryString));
  const nonces = new NonceRegistry();
  let sequence = 0;
  let salt = 1;

  app.use(async (req: Request, res: Response, next: NextFunction) => {
    deps.counts.total++;
    sequence++;
    res.setHeader('Date', deps.store.now().toUTCString());
    const path = req.path.startsWith(REST_PREFIX) ? req.path.slice(REST_PREFIX.length) : req.path;
    if (path.startsWith('/orders')) deps.counts.orders++;
    if (path.startsWith('/customers')) deps.counts.customers++;
    if (req.method !== 'GET') deps.counts.writes++;
    try {
      for (const hook of deps.hooks) await hook({ sequence, method: req.method, path, query: { ...req.query } });
    } catch (err) {
      return next(err);
    }
    const faults = deps.faults.take({ method: req.method, path });
    for (const fault of faults) {
      if (fault.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
      if (fault.kind === 'reset') return void req.socket.destroy();
      if (fault.kind === 'rate-limit') {
        res.setHeader('Retry-After', String(fault.retryAfterSeconds));
        return restError(res, 429, 'too_many_requests', 'Too many requests. Please slow down.');
      }
      if (fault.kind === 'status') {
        if (fault.body !== undefined)
          return void res
            .status(fault.status)
            .type(typeof fault.body === 'string' ? 'html' : 'json')
            .send(fault.body);
        return restError(res, fault.status, 'internal_server_error', '<p>There has been a critical error on this website.</p>');
      }
      if (fault.kind === 'truncate' || fault.kind === 'malformed-json') res.locals.bodyFault = fault;
    }
    next();
  });

  app.use(
    wordpressFront({
      site: deps.site,
      home: deps.home,
      port: () => Number(new URL(deps.origin()).port),
      now: () => deps.store.now(),
    }),
  );

  app.use(express.json({ limit: '1mb' }));

  // Authentication: over plain http WooCommerce only accepts OAuth 1.0a (basic auth and
  // consumer_key in the query need https), and a request without valid credentials is anonymous.
  // The signature covers WordPress's Site Address, not the host the client used.
  app.use(REST_PREFIX, (req: Request, res: Response, next: NextFunction) => {
    const signedAs = res.locals.signedAs as SignedAs | undefined;
    const query = signedAs?.query ?? (req.query as QueryParams);
    const signedPath = signedAs?.path ?? `${req.baseUrl}${req.path}`;
    const writing = req.method !== 'GET' && req.method !== 'HEAD';
    if (query.oauth_consumer_key !== undefined || query.oauth_signature !== undefined) {
      const result = verifyOAuth1(
        { method: req.method, url: `${deps.home()}${signedPath}`, query },
        (key) => (key === deps.keys.consumerKey ? deps.keys.consumerSecret : undefined),
        nonces,
        Math.floor(Date.now() / 1000),
      );
      if (!result.ok) {
        deps.counts.refused++;
        return restError(res, 401, 'woocommerce_rest_authentication_error', result.message);
      }
      const p = deps.keys.permissions;
      if (writing && p === 'read') {
        deps.counts.refused++;
        return restError(res, 401, 'woocommerce_rest_authentication_error', 'The API key provided does not have write permissions.');
      }
      if (!writing && p === 'write') {
        deps.counts.refused++;
        return restError(res, 401, 'woocommerce_rest_authentication_error', 'The API key provided does not have read permissions.');
      }
      return next();
    }
    deps.counts.refused++;
    const single = /\/\d+$/.test(req.path);
    if (writing) return restError(res, 401, 'woocommerce_rest_cannot_edit', 'Sorry, you are not allowed to edit this resource.');
    return restError(
      res,
      401,
      'woocommerce_rest_cannot_view',
      single ? 'Sorry, you cannot view this resource.' : 'Sorry, you cannot list resources.',
    );
  });

  const api = express.Router();

  api.get('/orders', (req, res) => {
    const q = req.query as RawQuery;
    const errors = new ParamErrors();
    const perPage = intParam(q, 'per_page', errors, 10, 1, 100);
    const page = intParam(q, 'page', errors, 1, 1);
    const offset = intParam(q, 'offset', errors, -1, 0);
    const gmt = boolParam(q, 'dates_are_gmt', errors, false);
    const orderby = enumParam(q, 'orderby', errors, ['date', 'id', 'include', 'title', 'slug', 'modified'] as const, 'date');
    const order = enumParam(q, 'order', errors, ['asc', 'desc'] as const, 'desc');
    const statuses = listParam(q, 'status') ?? ['any'];
    for (const s of statuses)
      if (s !== 'any' && !(ORDER_STATUSES as readonly string[]).includes(s))
        errors.add('status', `status[0] is not one of any, ${ORDER_STATUSES.join(', ')}.`);
    const window = { after: dateParam(q, 'modified_after', errors, gmt), before: dateParam(q, 'modified_before', errors, gmt) };
    const createdAfter = dateParam(q, 'after', errors, gmt);
    const createdBefore = dateParam(q, 'before', errors, gmt);
    const include = idListParam(q, 'include', errors);
    const exclude = idListParam(q, 'exclude', errors);
    const customer = q.customer === undefined ? undefined : intParam(q, 'customer', errors, 0, 0);
    if (errors.any) return invalidParams(res, errors);
    const result = deps.store.listOrders({
      window,
      created: createdAfter !== undefined || createdBefore !== undefined ? { after: createdAfter, before: createdBefore } : undefined,
      statuses,
      include,
      exclude,
      customer,
      orderby,
      order,
      offset: offset >= 0 ? offset : (page - 1) * perPage,
      limit: perPage,
      tieSalt: deps.tieOrder === 'stable' ? 0 : salt++,
    });
    send(res, 200, result.items, listHeaders(req, deps.origin(), result.total, perPage, page));
  });

  api.get('/orders/:id', (req, res) => {
    const order = /^\d+$/.test(req.params.id) ? deps.store.getOrder(Number(req.params.id)) : undefined;
    if (order === undefined) return restError(res, 404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
    send(res, 200, order);
  });

  api.get('/orders/:id/refunds', (req, res) => {
    const q = req.query as RawQuery;
    const errors = new ParamErrors();
    const perPage = intParam(q, 'per_page', errors, 10, 1, 100);
    const page = intParam(q, 'page', errors, 1, 1);
    if (errors.any) return invalidParams(res, errors);
    const refunds = /^\d+$/.test(req.params.id) ? deps.store.getRefunds(Number(req.params.id)) : undefined;
    if (refunds === undefined) return restError(res, 404, 'woocommerce_rest_invalid_order_id', 'Invalid order ID.');
    const items = refunds.slice((page - 1) * perPage, page * perPage);
    send(res, 200, items, listHeaders(req, deps.origin(), refunds.length, perPage, page));
  });

  api.get('/customers', (req, res) => {
    const q = req.query as RawQuery;
    const errors = new ParamErrors();
    const perPage = intParam(q, 'per_page', errors, 10, 1, 100);
    const page = intParam(q, 'page', errors, 1, 1);
    const offset = intParam(q, 'offset', errors, -1, 0);
    const orderby = enumParam(q, 'orderby', errors, ['id', 'include', 'name', 'registered_date'] as const, 'name');
    const order = enumParam(q, 'order', errors, ['asc', 'desc'] as const, 'asc');
    const role = enumParam(
      q,
      'role',
      errors,
      ['all', 'administrator', 'editor', 'author', 'contributor', 'subscriber', 'customer', 'shop_manager', 'wholesale_customer'] as const,
      'customer',
    );
    const include = idListParam(q, 'include', errors);
    const exclude = idListParam(q, 'exclude', errors);
    if (errors.any) return invalidParams(res, errors);
    const email = typeof q.email === 'string' ? q.email : undefined;
    const result = deps.store.listCustomers({
      include,
      exclude,
      role,
      email,
      orderby,
      order,
      offset: offset >= 0 ? offset : (page - 1) * perPage,
      limit: perPage,
    });
    send(res, 200, result.items, listHeaders(req, deps.origin(), result.total, perPage, page));
  });

  api.get('/customers/:id', (req, res) => {
    const customer = /^\d+$/.test(req.params.id) ? deps.store.getCustomer(Number(req.params.id)) : undefined;
    if (!customer) return restError(res, 404, 'woocommerce_rest_invalid_id', 'Invalid resource ID.');
    send(res, 200, customer);
  });

  const updateCustomer = (req: Request, res: Response) => {
    const id = /^\d+$/.test(String(req.params.id)) ? Number(req.params.id) : 0;
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body))
      return restError(res, 400, 'rest_invalid_json', 'Invalid JSON body passed.');
    if (body.meta_data !== undefined && !Array.isArray(body.meta_data)) {
      return invalidParams(res, Object.assign(new ParamErrors(), { problems: { meta_data: 'meta_data is not of type array.' } }));
    }
    const updated = deps.store.updateCustomer(id, body);
    if (!updated) return restError(res, 404, 'woocommerce_rest_invalid_id', 'Invalid resource ID.');
    send(res, 200, updated);
  };
  api.put('/customers/:id', updateCustomer);
  api.post('/customers/:id', updateCustomer);

  api.use(siteRoutes(deps.site, deps.origin, deps.home));

  app.use(REST_PREFIX, api);

  app.use((_req: Request, res: Response) =>
    restError(res, 404, 'rest_no_route', 'No route was found matching the URL and request method.'),
  );
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if ((err as { type?: string }).type === 'entity.parse.failed')
      return restError(res, 400, 'rest_invalid_json', 'Invalid JSON body passed.');
    restError(res, 500, 'internal_server_error', (err as Error)?.message ?? 'error');
  });
  return app;
}
