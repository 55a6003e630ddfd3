import { z } from 'zod';
import { ANY_ROLE } from '../../domain/roles.ts';
import { countLinksByStatus } from '../../db/customer-links.ts';
import { listCustomerLinks } from '../../pipeline/link-customer.ts';
import { linkCustomers } from '../../pipeline/link-customers.ts';
import { loggableError } from '../errors.ts';
import { principalOf } from '../principal.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';
import { requireProfileWriter } from '../store-writer.ts';

const LINK_STATUSES = ['linked', 'unlinked', 'conflicting'] as const;
/** Rows one "Save links" may carry: each is a request to the store, and a person waits for the answer. */
export const MAX_LINKS_PER_REQUEST = 100;

const linkRowSchema = z.object({
  customerId: z.number().int(),
  email: z.string().nullable(),
  name: z.string(),
  company: z.string().nullable(),
  profileCode: z.string().nullable().describe("the code in the customer's profile now"),
  status: z.enum(LINK_STATUSES),
  problem: z.string().nullable().describe('for conflicting links: what is wrong'),
  account: z.object({ code: z.string(), name: z.string().nullable(), status: z.string() }).nullable(),
  emailMatches: z.array(z.string()).describe("usable Sage accounts carrying the customer's email: suggestions"),
});

const linkResultSchema = z.object({
  customerId: z.number().int(),
  code: z.string().nullable(),
  previousCode: z.string().nullable(),
  accountName: z.string().nullable(),
  localProfileUpdated: z.boolean(),
  heldOrderIds: z
    .array(z.number().int())
    .describe("this customer's held orders that reprocessing now would take further (a dry run said so)"),
  stillHeld: z
    .array(z.object({ orderId: z.number().int(), reason: z.string() }))
    .describe(
      "this customer's held orders the link does not free (e.g. a bad code in the order's own meta), with why: assign them by hand",
    ),
});

const rowResultSchema = z.union([
  z.object({ customerId: z.number().int(), ok: z.literal(true), link: linkResultSchema }),
  z.object({ customerId: z.number().int(), ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

export const customerLinkRoutes: RouteModule = ({ db, clock, config, logger, profileWriter }) => [
  defineRoute({
    method: 'get',
    path: '/api/customers/links',
    summary: 'List customers and their Sage account links',
    description:
      'WooCommerce customers seen by the sync, each linked (its profile code is a usable account), unlinked (no code) or conflicting (the code is malformed, unknown or inactive, or the email belongs to other accounts), with email-matched suggestions. `counts` are over all customers.',
    tags: ['customers'],
    roles: ANY_ROLE,
    query: z.object({
      customerId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().describe('one customer only'),
      status: z.enum(LINK_STATUSES).optional(),
      search: z.string().trim().max(200).optional().describe('part of the email, code, surname or company'),
      page: z.coerce.number().int().min(1).max(100_000).default(1),
      pageSize: z.coerce.number().int().min(1).max(200).default(50),
    }),
    response: z.object({
      total: z.number().int(),
      page: z.number().int(),
      pageSize: z.number().int(),
      rows: z.array(linkRowSchema),
      counts: z.object({ linked: z.number().int(), unlinked: z.number().int(), conflicting: z.number().int() }),
    }),
    async handler({ query }) {
      const { total, rows } = await listCustomerLinks(db, {
        customerId: query.customerId,
        status: query.status,
        search: query.search || undefined,
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      });
      return { total, page: query.page, pageSize: query.pageSize, rows, counts: await countLinksByStatus(db) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/customers/links',
    summary: 'Link customers to Sage accounts',
    description:
      "Writes each code to the customer's WooCommerce profile (the profileMetaKey meta), then records it and audits it. Each row is checked and written on its own: the answer has one result per row, in order, and a bad row fails only itself (if the store refuses our keys or cannot be reached, the rows after it are not tried: NOT_ATTEMPTED). An empty code removes the link; `allowUnknown` accepts a code not yet in the account mirror. 503 STORE_NOT_CONFIGURED when no store is configured.",
    tags: ['customers'],
    roles: ANY_ROLE,
    body: z
      .object({
        links: z
          .array(
            z
              .object({
                customerId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
                code: z.string().max(64).describe('the Sage account code; "" removes the link'),
                allowUnknown: z.boolean().optional(),
              })
              .strict(),
          )
          .min(1)
          .max(MAX_LINKS_PER_REQUEST)
          .superRefine((links, ctx) => {
            const seen = new Set<number>();
            links.forEach((link, index) => {
              if (seen.has(link.customerId))
                ctx.addIssue({ code: 'custom', path: [index, 'customerId'], message: `customer ${link.customerId} is listed twice` });
              seen.add(link.customerId);
            });
          }),
      })
      .strict(),
    response: z.object({ results: z.array(rowResultSchema), linked: z.number().int(), failed: z.number().int() }),
    async handler({ res, body }) {
      const writer = requireProfileWriter(profileWriter, config);
      const actor = principalOf(res).user.username;
      return linkCustomers(db, body.links, writer, {
        actor,
        clock,
        onUnexpected: (err, row) => logger.error({ customerId: row.customerId, error: loggableError(err) }, 'linking a customer failed'),
      });
    },
  }),
];
