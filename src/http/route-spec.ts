import express, { type Request, type RequestHandler, type Response, Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Role } from '../domain/roles.ts';
import type { AppConfig } from '../../config/env.ts';
import type { Clock } from '../domain/clock.ts';
import { AppError } from '../domain/errors.ts';
import type { Logger } from '../log/logger.ts';
import type { CustomerProfileWriter } from '../woo/profile-writer.ts';
import type { AuthContext } from './auth-context.ts';
import { validationErrorFrom } from './errors.ts';
import { principalOf, type Principal } from './principal.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What route modules are built from. */
export interface RouteDeps {
  db: Knex;
  config: AppConfig;
  logger: Logger;
  clock: Clock;
  auth: AuthContext;
  version: string;
  /** Null when no store is configured: routes that write to WooCommerce answer 503. */
  profileWriter: CustomerProfileWriter | null;
  triggers?: ServiceTriggers;
}

/** What the running service lets routes set off (absent when no scheduler runs, e.g. in tests). */
export interface ServiceTriggers {
  /** Ask for an incremental poll now; coalesced with a poll already running. */
  requestSync(reason: string): void;
}

export interface RouteContext<P, Q, B> {
  req: Request;
  res: Response;
  /** Undefined only on public routes. */
  principal: Principal | undefined;
  params: P;
  query: Q;
  body: B;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * One API route: where, who may call it, what it accepts and returns (zod, which also produces
 * the OpenAPI description), and what it does. The handler's return value is sent as JSON with
 * `status` (200 by default, 204 when it returns nothing) unless the handler set another status
 * itself; a handler that has written the whole response itself (a download) is left alone.
 */
export interface RouteSpec<
  P extends z.ZodType | undefined = any,
  Q extends z.ZodType | undefined = any,
  B extends z.ZodType | undefined = any,
> {
  method: HttpMethod;
  /** Full express path, e.g. `/api/users/:username`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Who may call it; `public` only for /healthz, login and signed webhooks (an allow-listed few). */
  roles: readonly Role[] | 'public';
  params?: P;
  query?: Q;
  body?: B;
  /** Replaces the JSON parser (e.g. a raw parser for an uploaded XML file or a signed webhook). */
  bodyParser?: RequestHandler;
  /** For a route whose body is a file rather than JSON (with `bodyParser`): its media type, for OpenAPI. */
  rawBody?: { contentType: string; description: string };
  /** Success status and the response body's schema (documentation; not enforced). */
  status?: number;
  response?: z.ZodType;
  responseContentType?: string;
  handler(ctx: RouteContext<Out<P>, Out<Q>, Out<B>>): Promise<unknown>;
}

/** Keeps the handler's parameter types inferred from the schemas. */
export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec as RouteSpec;
}

/** A group of routes, built from the app's dependencies. Register new ones in routes/index.ts. */
export type RouteModule = (deps: RouteDeps) => RouteSpec[];

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('FORBIDDEN', message, 403);
  }
}

function parsePart(schema: z.ZodType | undefined, value: unknown, part: string): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw validationErrorFrom(result.error, part);
  return result.data;
}

export function mountRoute(router: Router, spec: RouteSpec, jsonLimit: string): void {
  const roles = spec.roles;
  const checkRole: RequestHandler = (_req, res, next) => {
    if (roles !== 'public') {
      const { user } = principalOf(res);
      if (!roles.includes(user.role)) {
        throw new ForbiddenError(`the ${user.role} role cannot ${spec.summary.toLowerCase()}; ask an owner`);
      }
    }
    next();
  };
  const parseBody = spec.bodyParser ?? express.json({ limit: jsonLimit, strict: true });
  const handle: RequestHandler = async (req, res) => {
    const ctx = {
      req,
      res,
      principal: res.locals.principal as Principal | undefined,
      params: parsePart(spec.params, req.params, 'params'),
      query: parsePart(spec.query, req.query, 'query'),
      body: spec.body ? parsePart(spec.body, req.body, 'body') : undefined,
    };
    const result = await spec.handler(ctx as RouteContext<any, any, any>);
    if (res.headersSent) return;
    // A handler may choose another status itself (e.g. /healthz's 503); otherwise the spec's.
    const status = res.statusCode !== 200 ? res.statusCode : (spec.status ?? (result === undefined ? 204 : 200));
    if (result === undefined) res.status(status).end();
    else res.status(status).json(result);
  };
  // The role is checked before the body is read: a refused caller costs no parsing.
  router[spec.method](spec.path, checkRole, parseBody, handle);
}
