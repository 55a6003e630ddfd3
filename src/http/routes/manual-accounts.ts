import { z } from 'zod';
import { ANY_ROLE } from '../../domain/roles.ts';
import { listEmailLinks } from '../../db/manual-accounts.ts';
import { assignAccount, forgetEmailLink } from '../../pipeline/assign-account.ts';
import { principalOf } from '../principal.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';
import { reprocessResultSchema } from './order-actions.ts';

const emailLinkSchema = z.object({
  email: z.string().describe('the normalised billing email'),
  accountCode: z.string(),
  actor: z.string().describe('who remembered it'),
  reason: z.string().nullable(),
  fromOrderId: z.number().int().nullable().describe('the order it was remembered from'),
  createdAt: z.string(),
});

/**
 * Accounts a person chose (rule MANUAL): for one order, and remembered for a billing email.
 * Support and owners alike, as reprocessing and linking are; each change is audited.
 */
export const manualAccountRoutes: RouteModule = ({ db, clock, triggers }) => [
  defineRoute({
    method: 'post',
    path: '/api/orders/:id/assign',
    summary: "Assign an order's Sage account by hand",
    description:
      "Gives the order the account (rule MANUAL, with who and why in its decision trace and the audit log) and processes it at once, as `woo-sage orders assign` does. `rememberEmail` also gives the account to later orders from the order's billing email. 400 for a code the account mirror does not know (or inactive), 409 when Sage already has the order's sales order.",
    tags: ['orders'],
    roles: ANY_ROLE,
    params: z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
    body: z
      .object({
        code: z.string().trim().min(1).max(64).describe('the Sage account code'),
        reason: z.string().trim().max(500).optional().describe('why, kept in the trace, history and audit log'),
        rememberEmail: z.boolean().optional().describe("also use it for later orders from the order's billing email"),
      })
      .strict(),
    response: z.object({
      orderId: z.number().int(),
      accountCode: z.string(),
      rememberedEmail: z.string().nullable(),
      result: reprocessResultSchema,
    }),
    async handler({ res, params, body }) {
      const { user } = principalOf(res);
      const assigned = await assignAccount(db, {
        orderId: params.id,
        code: body.code,
        reason: body.reason,
        rememberEmail: body.rememberEmail,
        actor: user.username,
        clock,
      });
      // Queued documents go out with the next run; in `serve`, that run starts now.
      if (assigned.result.outcome === 'queued') triggers?.requestSync(`order ${params.id} assigned`);
      return assigned;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/email-links',
    summary: 'List remembered email links',
    description: 'Billing emails whose later orders get an account a person chose (`orders assign --remember-email`).',
    tags: ['accounts'],
    roles: ANY_ROLE,
    query: z.object({
      search: z.string().trim().max(200).optional().describe('part of the email, or the account code'),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    response: z.object({ total: z.number().int(), links: z.array(emailLinkSchema) }),
    async handler({ query }) {
      return listEmailLinks(db, query);
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/email-links/:email',
    summary: 'Remove a remembered email link',
    description: 'Later orders from the email are decided by the rules again (audited). Orders already processed keep their account.',
    tags: ['accounts'],
    roles: ANY_ROLE,
    params: z.object({ email: z.string().min(1).max(320) }),
    response: z.object({ removed: emailLinkSchema }),
    async handler({ res, params }) {
      return { removed: await forgetEmailLink(db, { email: params.email, actor: principalOf(res).user.username, clock }) };
    },
  }),
];
