import { z } from 'zod';
import { ANY_ROLE } from '../../domain/roles.ts';
import { listClashes } from '../../db/account-clashes.ts';
import { recodeAccount } from '../../pipeline/account-clashes.ts';
import { principalOf } from '../principal.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';
import { reprocessResultSchema } from './order-actions.ts';

const buyer = z.object({ name: z.string().nullable(), emails: z.array(z.string()) });

const clashSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  state: z.enum(['open', 'recoded']),
  detectedAt: z.string(),
  sage: buyer.describe("Sage's own customer with the code"),
  created: buyer.describe('the buyer woo-sage created the code for'),
  newCode: z.string().nullable().describe('once re-coded: the code the created account got'),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  instructions: z.array(z.string()).describe('what a person must fix in Sage'),
});

/** Clashes between accounts created here and Sage's own, and the way out (re-code). */
export const accountClashRoutes: RouteModule = ({ db, clock }) => [
  defineRoute({
    method: 'get',
    path: '/api/account-clashes',
    summary: 'List account code clashes',
    description:
      'Codes an import found Sage using for another customer than the one woo-sage created them for. Neither account was overwritten; orders of an open clash are held until it is re-coded.',
    tags: ['accounts'],
    roles: ANY_ROLE,
    query: z.object({
      state: z.enum(['open', 'recoded']).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100).describe('newest first, at most 500'),
    }),
    response: z.object({ clashes: z.array(clashSchema) }),
    async handler({ query }) {
      const clashes = await listClashes(db, query);
      return { clashes: clashes.map(({ sage, ...rest }) => ({ ...rest, sage: { name: sage.name, emails: sage.emails } })) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/account-clashes/:code/recode',
    summary: 'Re-code a clashing account created here',
    description:
      "Gives the account woo-sage created under the code the next free code of its letters; Sage's own account keeps the code. The created account's orders are processed again (its Customer document and sales orders queued with the new code); what Sage already has under the old code is listed for a person to fix in Sage. Audited.",
    tags: ['accounts'],
    roles: ANY_ROLE,
    params: z.object({ code: z.string().trim().min(1).max(32) }),
    response: z.object({
      code: z.string(),
      newCode: z.string(),
      reprocessed: z.array(reprocessResultSchema),
      instructions: z.array(z.string()),
    }),
    async handler({ res, params }) {
      return recodeAccount(db, { code: params.code, actor: principalOf(res).user.username, clock });
    },
  }),
];
