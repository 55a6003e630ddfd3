import { z } from 'zod';
import { ANY_ROLE } from '../../domain/roles.ts';
import { ORDER_STATES } from '../../domain/order-state.ts';
import { previewOrder } from '../../pipeline/preview-order.ts';
import { getSettings } from '../../settings/store.ts';
import { principalOf } from '../principal.ts';
import { defineRoute, ForbiddenError, type RouteModule } from '../route-spec.ts';

export const planRoutes: RouteModule = ({ db }) => [
  defineRoute({
    method: 'post',
    path: '/api/plan/preview',
    summary: 'Preview the account an order would get with unsaved settings',
    description:
      "Runs the allocation rules (as `woo-sage plan` does) for one inbox order under the given settings, merged over the saved ones and validated as a whole like PUT /api/settings. Read-only: nothing is saved, reserved or changed. Only owners may send an accountCodePattern other than the saved one (it is checked like PUT /api/settings before it runs). The answer is one element of `plan --json` plus the trace, the order's state and a note on what it means for this order.",
    tags: ['settings'],
    roles: ANY_ROLE,
    body: z
      .object({
        orderId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe('a WooCommerce order id in the inbox'),
        settings: z.record(z.string(), z.unknown()).default({}).describe('settings as drafted; omitted keys keep their saved values'),
      })
      .strict(),
    response: z.object({
      orderId: z.number().int(),
      rule: z.enum(['PROFILE', 'EXISTING', 'NEW', 'DEFAULT', 'NONE']),
      accountCode: z.string().nullable().describe('for NEW the code that would be created; null for NONE'),
      reason: z.string(),
      trace: z.array(z.object({ step: z.string(), result: z.string(), detail: z.string() })),
      orderState: z.enum(ORDER_STATES),
      note: z.string().nullable(),
    }),
    async handler({ res, body }) {
      // A pattern is code the server runs; only those who may save one may try another one.
      if (principalOf(res).user.role !== 'owner' && Object.hasOwn(body.settings, 'accountCodePattern')) {
        if (body.settings.accountCodePattern !== (await getSettings(db)).accountCodePattern) {
          throw new ForbiddenError('only an owner may preview another accountCodePattern; leave it out to use the saved one');
        }
      }
      return previewOrder(db, body.orderId, body.settings);
    },
  }),
];
