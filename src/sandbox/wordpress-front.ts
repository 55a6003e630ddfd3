import { Router, type NextFunction, type Request, type Response } from 'express';
import type { QueryParams } from './oauth1.ts';
import type { SandboxSite } from './site-config.ts';

/**
 * What WordPress does in front of the REST API, as far as a client setting up a connection sees
 * it: the API index at /wp-json/ (public: site name, Site Address, timezone, namespaces); the
 * `?rest_route=` form that works whatever the permalinks; with Plain permalinks, /wp-json/ is an
 * ordinary 404 page; an address WordPress does not know is answered with a "guess" redirect to a
 * page whose slug it contains (the Shop page for …/shop/wp-json/…), not with the API; and a
 * server-level redirect to the canonical host keeps the path.
 */

/** Pages the sandbox's WordPress has, for its guess redirects. */
const PAGES = ['shop', 'cart', 'checkout', 'my-account', 'sample-page'];

/** What the OAuth 1.0a check must sign when the request came in another form (`?rest_route=`). */
export interface SignedAs {
  path: string;
  query: QueryParams;
}

function page(res: Response, status: number, title: string): void {
  res
    .status(status)
    .type('html')
    .send(`<!DOCTYPE html>\n<html lang="en-GB"><head><title>${title} – Sandbox Shop</title></head><body><h1>${title}</h1></body></html>`);
}

/** WordPress's gmt_offset now, in hours, for a city timezone. */
function currentOffsetHours(timeZone: string, at: Date): number {
  const name =
    new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'shortOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')
      ?.value ?? 'GMT';
  const m = /GMT([+-])(\d{1,2})(?::(\d\d))?/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) + Number(m[3] ?? 0) / 60) : 0;
}

function apiIndex(site: SandboxSite, home: string, now: Date): Record<string, unknown> {
  const namespaces = [
    'oembed/1.0',
    'wp/v2',
    'wp-site-health/v1',
    ...(site.woocommerceActive ? ['wc/v1', 'wc/v2', 'wc/v3', 'wc/store/v1'] : []),
  ];
  return {
    name: 'Sandbox Shop',
    description: 'A WooCommerce-compatible sandbox',
    url: home,
    home,
    gmt_offset: site.timezoneString ? currentOffsetHours(site.timezoneString, now) : site.gmtOffset,
    timezone_string: site.timezoneString,
    namespaces,
    authentication: [],
    routes: Object.fromEntries(
      namespaces.map((ns) => [`/${ns}`, { namespace: ns, methods: ['GET'], endpoints: [{ methods: ['GET'], args: {} }] }]),
    ),
    _links: { help: [{ href: 'https://developer.wordpress.org/rest-api/' }] },
  };
}

/** Keeps only the top-level fields `_fields` names, as WordPress does for every REST answer. */
function onlyFields(body: Record<string, unknown>, fields: unknown): Record<string, unknown> {
  if (typeof fields !== 'string' || fields.trim() === '') return body;
  const wanted = new Set(fields.split(',').map((f) => f.trim().split('.')[0]));
  return Object.fromEntries(Object.entries(body).filter(([key]) => wanted.has(key)));
}

export function wordpressFront(deps: { site: () => SandboxSite; home: () => string; port: () => number; now: () => Date }): Router {
  const front = Router();

  front.use((req: Request, res: Response, next: NextFunction) => {
    const site = deps.site();
    if (site.redirectToHost && req.hostname !== site.redirectToHost) {
      return void res.redirect(301, `http://${site.redirectToHost}:${deps.port()}${req.originalUrl}`);
    }
    const route = (req.query as QueryParams).rest_route;
    if (typeof route === 'string' && route.startsWith('/') && !req.path.startsWith('/wp-json')) {
      // WordPress serves `?rest_route=/wc/v3/orders&…` on any front-end address (it is a query
      // variable), and signs it as the address it came to.
      res.locals.signedAs = { path: req.path, query: { ...(req.query as QueryParams) } } satisfies SignedAs;
      const rest = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
      rest.delete('rest_route');
      const query = rest.toString();
      req.url = `/wp-json${route}${query ? `?${query}` : ''}`;
      return next();
    }
    if (req.path === '/wp-json' || req.path.startsWith('/wp-json/')) {
      // Plain permalinks: WordPress has no rewrite rule for /wp-json/, so it is an unknown page.
      if (site.permalinks === 'plain') return void page(res, 404, 'Page not found');
      if (!site.woocommerceActive && req.path.startsWith('/wp-json/wc/'))
        return void res
          .status(404)
          .json({ code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
      return next();
    }
    if (req.path === '/' || req.path === '/index.php') return void page(res, 200, 'Sandbox Shop');
    const slugs = req.path.split('/').filter(Boolean);
    if (slugs.length === 1 && PAGES.includes(slugs[0]!)) return void page(res, 200, slugs[0]!);
    // WordPress's redirect_guess_404_permalink: an unknown address that names a page goes there.
    const guess = slugs.find((s) => PAGES.includes(s));
    if (guess && req.method === 'GET') return void res.redirect(301, `${deps.home()}/${guess}/`);
    page(res, 404, 'Page not found');
  });

  front.get(['/wp-json', '/wp-json/'], (req, res) => {
    if (deps.site().restIndexClosed)
      return void res
        .status(401)
        .json({ code: 'rest_cannot_access', message: 'Only authenticated users can access the REST API.', data: { status: 401 } });
    res.json(onlyFields(apiIndex(deps.site(), deps.home(), deps.now()), (req.query as QueryParams)._fields));
  });

  return front;
}
