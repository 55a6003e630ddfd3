import express, { type Express, Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { ANY_ROLE } from '../domain/roles.ts';
import type { AppConfig } from '../../config/env.ts';
import type { Clock } from '../domain/clock.ts';
import type { Logger } from '../log/logger.ts';
import { VERSION } from '../version.ts';
import type { CustomerProfileWriter } from '../woo/profile-writer.ts';
import { createAuthContext, type AuthPolicy } from './auth-context.ts';
import { authenticate } from './authenticate.ts';
import { errorHandler, notFound } from './errors.ts';
import { buildOpenApi } from './openapi.ts';
import { pageRouter } from './page/page-routes.ts';
import { requestLog } from './request-log.ts';
import { defineRoute, mountRoute, type RouteDeps, type RouteModule, type RouteSpec, type ServiceTriggers } from './route-spec.ts';
import { ROUTE_MODULES } from './routes/index.ts';
import { securityHeaders } from './security-headers.ts';
import { storeProfileWriter } from './store-writer.ts';

export interface AppDeps {
  db: Knex;
  config: AppConfig;
  logger: Logger;
  clock: Clock;
  /**
   * Writes account codes to WooCommerce customer profiles (linking). Default: the store client
   * built from WOO_URL and the keys; `null` (or no store configured) makes linking answer 503
   * STORE_NOT_CONFIGURED. Tests inject a fake or a sandbox-backed client.
   */
  profileWriter?: CustomerProfileWriter | null;
  triggers?: ServiceTriggers;
}

export interface AppOptions {
  /** Route modules beyond ROUTE_MODULES (features not yet registered there, tests). */
  routes?: RouteModule[];
  /** Password hashing cost, session lifetimes, login limits (tests make hashing cheap). */
  auth?: Partial<AuthPolicy>;
  /** Largest JSON body accepted; routes that take files set their own parser. */
  jsonLimit?: string;
  version?: string;
}

function openApiRoute(specs: () => RouteSpec[], version: string): RouteSpec {
  return defineRoute({
    method: 'get',
    path: '/api/openapi.json',
    summary: 'Describe this API (OpenAPI 3.1)',
    tags: ['meta'],
    roles: ANY_ROLE,
    response: z.record(z.string(), z.unknown()),
    async handler() {
      return buildOpenApi(specs(), version);
    },
  });
}

/** Two specs for one route, or one nobody may call, are wiring mistakes: fail at start-up. */
function refuseAmbiguousSpecs(specs: RouteSpec[]): void {
  const seen = new Set<string>();
  for (const spec of specs) {
    const key = `${spec.method.toUpperCase()} ${spec.path}`;
    if (seen.has(key)) throw new Error(`route ${key} is defined twice`);
    if (spec.roles !== 'public' && spec.roles.length === 0) throw new Error(`route ${key} allows no role`);
    seen.add(key);
  }
}

/**
 * The admin HTTP app. Order matters: public routes (health, login, signed webhooks) and the admin
 * page's files (code only, no data) come first;
 * `authenticate` then refuses everything else, known route or not, without valid credentials;
 * each protected route checks its roles; one error handler answers every failure.
 */
export function createApp(deps: AppDeps, options: AppOptions = {}): Express {
  const version = options.version ?? VERSION;
  const auth = createAuthContext(deps.db, deps.clock, options.auth);
  const profileWriter = deps.profileWriter === undefined ? storeProfileWriter(deps.config, deps.logger) : deps.profileWriter;
  const routeDeps: RouteDeps = { ...deps, auth, version, profileWriter };
  const specs: RouteSpec[] = [];
  for (const module of [...ROUTE_MODULES, ...(options.routes ?? [])]) specs.push(...module(routeDeps));
  specs.push(openApiRoute(() => specs, version));
  refuseAmbiguousSpecs(specs);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.use(requestLog(deps.logger));
  app.use(securityHeaders);

  const jsonLimit = options.jsonLimit ?? '100kb';
  const publicRouter = Router();
  const protectedRouter = Router();
  for (const spec of specs) mountRoute(spec.roles === 'public' ? publicRouter : protectedRouter, spec, jsonLimit);
  app.use(publicRouter);
  app.use(pageRouter());
  app.use(authenticate(auth));
  app.use(protectedRouter);
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
