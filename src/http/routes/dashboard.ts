import { z } from 'zod';
import { ANY_ROLE } from '../../domain/roles.ts';
import { countAwaitingAccounts, exportQueueDepth, ordersNeedingAttention, stateChangesPerDay } from '../../db/dashboard-queries.ts';
import { countOrdersByState } from '../../db/order-queries.ts';
import { lastPollSchema, readLastPoll } from '../../db/poll-status.ts';
import { sageAccountsKnown } from '../../db/sage-accounts-known.ts';
import { toUtcIso } from '../../domain/clock.ts';
import { ORDER_STATES } from '../../domain/order-state.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';

export const DASHBOARD_DAYS = 14;

/** Every state is present, zero or not. */
const stateCounts = z.record(z.enum(ORDER_STATES), z.number().int());

export const dashboardRoutes: RouteModule = ({ db, clock }) => [
  defineRoute({
    method: 'get',
    path: '/api/dashboard',
    summary: 'Summarise orders, the export queue and polling',
    description:
      `Orders by state now; per UTC day over the last ${DASHBOARD_DAYS} days, how many orders entered each state (from the order history); ` +
      'export documents by state; the orders a person must look at; and the last successful poll (null when none is recorded).',
    tags: ['dashboard'],
    roles: ANY_ROLE,
    response: z.object({
      now: z.string().describe('server time (UTC), to age the other times against'),
      ordersByState: stateCounts,
      stateChangesPerDay: z.array(z.object({ day: z.string(), entered: stateCounts })),
      queue: z.object({
        byState: z.record(z.string(), z.number().int()),
        waiting: z.number().int().describe('documents queued or being delivered'),
        oldestWaitingSince: z.string().nullable(),
      }),
      attention: z.object({
        held: z.number().int(),
        failed: z.number().int(),
        changedAfterExport: z.number().int(),
        total: z.number().int().describe('distinct orders in any of the three'),
      }),
      lastPoll: lastPollSchema.nullable(),
      sageAccounts: z.object({
        known: z
          .boolean()
          .describe(
            'a Sage customer export has been imported, or an owner confirmed Sage has no customers; until then no new account is created',
          ),
        waitingForImport: z.number().int().describe('orders that need a new Sage account and wait for the Sage customers to be imported'),
      }),
    }),
    async handler() {
      const now = clock.now();
      const ordersByState = await countOrdersByState(db);
      return {
        now: toUtcIso(now),
        ordersByState,
        stateChangesPerDay: await stateChangesPerDay(db, now, DASHBOARD_DAYS),
        queue: await exportQueueDepth(db),
        attention: await ordersNeedingAttention(db, ordersByState),
        lastPoll: await readLastPoll(db),
        sageAccounts: {
          known: await sageAccountsKnown(db),
          waitingForImport: await countAwaitingAccounts(db),
        },
      };
    },
  }),
];
