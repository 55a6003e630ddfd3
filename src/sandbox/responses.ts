import type { Request, Response } from 'express';
import type { Fault } from './faults.ts';
import type { ParamErrors } from './rest-params.ts';

/** Answers as the WordPress REST API does: `{code, message, data: {status}}`. */
export function restError(res: Response, status: number, code: string, message: string, data: Record<string, unknown> = {}): void {
  res.status(status).json({ code, message, data: { status, ...data } });
}

export function invalidParams(res: Response, errors: ParamErrors): void {
  const names = Object.keys(errors.problems);
  restError(res, 400, 'rest_invalid_param', `Invalid parameter(s): ${names.join(', ')}`, { params: errors.problems });
}

/** Writes a response, or misbehaves as the request's fault says. */
export function send(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const fault = res.locals.bodyFault as Fault | undefined;
  const json = JSON.stringify(body);
  res.status(status);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=UTF-8');
  if (fault?.kind === 'malformed-json') {
    res.send(
      `<br />\n<b>Deprecated</b>:  Creation of dynamic property WC_Legacy_Thing::$x is deprecated in <b>/var/www/html/wp-content/plugins/some-plugin/x.php</b> on line <b>42</b><br />\n${json}`,
    );
    return;
  }
  if (fault?.kind === 'truncate') {
    const bytes = Buffer.from(json);
    res.setHeader('Content-Length', String(bytes.length));
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
    return;
  }
  res.send(json);
}

export function listHeaders(req: Request, origin: string, total: number, perPage: number, page: number): Record<string, string> {
  const totalPages = Math.ceil(total / perPage);
  // Like WordPress, the links repeat every query parameter, OAuth ones and consumer secrets included.
  const link = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query)) {
      if (k === 'page') continue;
      for (const item of Array.isArray(v) ? v : [v]) params.append(k, String(item));
    }
    params.set('page', String(p));
    return `<${origin}${req.baseUrl}${req.path}?${params.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${link(Math.min(page - 1, Math.max(totalPages, 1)))}; rel="prev"`);
  if (page < totalPages) links.push(`${link(page + 1)}; rel="next"`);
  return {
    'X-WP-Total': String(total),
    'X-WP-TotalPages': String(totalPages),
    ...(links.length ? { Link: links.join(', ') } : {}),
  };
}
