import type { Knex } from 'knex';
import { z } from 'zod';
import { defineRoute, type RouteModule } from '../route-spec.ts';

const PING_TIMEOUT_MS = 2_000;

async function databaseReachable(db: Knex): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
  });
  try {
    // A pool that is exhausted or a server that stopped answering must not hang the probe.
    return await Promise.race([db.raw('select 1').then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export const healthRoutes: RouteModule = ({ db, version }) => [
  defineRoute({
    method: 'get',
    path: '/healthz',
    summary: 'Report whether the service and its database are up',
    description: 'Unauthenticated, for load balancers and monitors. 503 when the database does not answer.',
    tags: ['health'],
    roles: 'public',
    response: z.object({ status: z.enum(['ok', 'unavailable']), version: z.string(), database: z.enum(['ok', 'unreachable']) }),
    async handler({ res }) {
      const ok = await databaseReachable(db);
      if (!ok) res.status(503);
      return { status: ok ? 'ok' : 'unavailable', version, database: ok ? 'ok' : 'unreachable' };
    },
  }),
];
