import { z } from 'zod';
import { OWNER_ONLY } from '../../domain/roles.ts';
import { CHECK_STATUSES, FINDING_LEVELS } from '../../check/findings.ts';
import { runCheck } from '../../check/run-check.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';

export const checkReportSchema = z.object({
  status: z.enum(CHECK_STATUSES),
  exitCode: z
    .union([z.literal(0), z.literal(1), z.literal(2)])
    .describe('what `woo-sage check` exits with: 0 ready, 1 not ready, 2 unusable'),
  store: z.string().nullable().describe('WOO_URL (never the keys)'),
  checkedAt: z.string(),
  findings: z.array(
    z.object({
      id: z.string().describe('stable, e.g. "keys.permission", "tax.rate"'),
      level: z.enum(FINDING_LEVELS),
      message: z.string(),
      fix: z.string().nullable(),
    }),
  ),
});

export const checkRoutes: RouteModule = ({ db, config, clock }) => [
  defineRoute({
    method: 'post',
    path: '/api/check',
    summary: 'Test the connection to the store',
    description:
      "What `woo-sage check --json` prints, for the configured store (WOO_URL and the keys) and this database: one finding per fact with its fix. The store is only read (but for one POST to a route WooCommerce does not have, which is how a key's write permission is learnt without writing); nothing is saved. Slow stores make it slow: each store request waits up to 20 s, the first up to 8 s.",
    tags: ['settings'],
    roles: OWNER_ONLY,
    response: checkReportSchema,
    async handler() {
      return runCheck({ config, database: { db }, clock });
    },
  }),
];
