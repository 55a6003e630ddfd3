import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import { ANY_ROLE, OWNER_ONLY } from '../../domain/roles.ts';
import { confirmSageHasNoCustomers, sageAccountsKnown } from '../../db/sage-accounts-known.ts';
import { latestImport } from '../../db/account-import-store.ts';
import { describeAccount } from '../../db/account-mirror.ts';
import { countAccountsByStatus, listAccounts } from '../../db/account-queries.ts';
import { customersLinkedTo } from '../../db/customer-links.ts';
import { AppError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { importAccounts } from '../../pipeline/import-accounts.ts';
import { principalOf } from '../principal.ts';
import { defineRoute, ForbiddenError, type RouteModule } from '../route-spec.ts';

/** A Sage customer export of tens of thousands of accounts is a few MB; this leaves ample room. */
export const ACCOUNT_IMPORT_LIMIT_BYTES = 50 * 1024 * 1024;

const ACCOUNT_STATUSES = ['active', 'inactive', 'pending'] as const;

/** The upload arrives whole before the import starts, so a slow upload never holds a transaction open. */
function rawUpload(limit: number): RequestHandler {
  const parse = express.raw({ type: () => true, limit });
  return (req, res, next) =>
    parse(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type === 'entity.too.large') {
        next(
          new AppError('PAYLOAD_TOO_LARGE', `the file is larger than ${Math.round(limit / 1024 / 1024)} MB; nothing was imported`, 413, {
            limitBytes: limit,
          }),
        );
      } else next(err);
    });
}

/** Feeds the parser in slices, as a file stream would, so it never holds one huge string. */
async function* slices(buffer: Buffer, size = 256 * 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

const importSummarySchema = z.object({
  importId: z.number().int(),
  file: z.string(),
  kind: z.enum(['all', 'partial']),
  customers: z.number().int().describe('accounts in the file'),
  created: z.number().int(),
  updated: z.number().int(),
  confirmed: z.number().int().describe('accounts woo-sage created that Sage now confirms'),
  reactivated: z.number().int(),
  deactivated: z.number().int().describe('full exports only: accounts missing from the file, now inactive'),
  emails: z.number().int(),
  skipped: z.array(z.object({ line: z.number().int(), reason: z.string() })),
  warnings: z.array(z.string()),
  clashes: z
    .array(
      z.object({
        code: z.string(),
        created: z.object({ name: z.string().nullable(), emails: z.array(z.string()) }).describe('the buyer woo-sage created the code for'),
        sage: z.object({ name: z.string().nullable(), emails: z.array(z.string()) }).describe("Sage's own customer with that code"),
        heldOrders: z.array(z.number().int()),
        deliveredOrders: z.array(z.number().int()).describe('orders Sage already has under the code: check them in Sage'),
        action: z.string(),
      }),
    )
    .describe('codes Sage uses for another customer than the one woo-sage created them for; neither account was overwritten'),
});

const accountSchema = z.object({
  code: z.string(),
  name: z.string().nullable(),
  status: z.enum(ACCOUNT_STATUSES),
  origin: z.string().describe('import (from a Sage export) or created (by woo-sage)'),
  emails: z.array(z.string()),
  updatedAt: z.string(),
  confirmedAt: z.string().nullable(),
});

const lastImportSchema = z
  .object({
    id: z.number().int(),
    file: z.string(),
    kind: z.string(),
    actor: z.string(),
    finishedAt: z.string(),
    customers: z.number().int(),
  })
  .nullable();

export const accountRoutes: RouteModule = ({ db, clock }) => [
  defineRoute({
    method: 'post',
    path: '/api/accounts/confirm-empty',
    summary: 'Confirm that Sage has no customers yet',
    description:
      "An owner's statement, instead of importing a Sage customer export, that Sage has no customer accounts yet (audited): new accounts may then be created. Until a Sage export is imported or this is confirmed, orders that need a new account wait.",
    tags: ['accounts'],
    roles: OWNER_ONLY,
    response: z.object({ importId: z.number().int(), sageAccountsKnown: z.boolean() }),
    async handler({ res }) {
      const { user } = principalOf(res);
      const importId = await confirmSageHasNoCustomers(db, { actor: user.username, at: clock.now() });
      return { importId, sageAccountsKnown: await sageAccountsKnown(db) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/accounts/import',
    summary: 'Import a Sage customer export',
    description:
      'The body is the Customer XML file itself (any content type, at most 50 MB). All or nothing: a malformed file is refused (400 ACCOUNT_IMPORT_REJECTED with details.line and details.column) and nothing changes. `all=true` (owners only) says the file lists every customer: accounts missing from it are marked inactive, refused when that would be more than half of them unless `force=true`.',
    tags: ['accounts'],
    roles: ANY_ROLE,
    query: z.object({
      all: flag.describe('the file is an "all customers" export (owners only)'),
      force: flag.describe('with all: allow marking most accounts inactive (owners only)'),
      fileName: z.string().trim().min(1).max(255).optional().describe("the uploaded file's name, for the audit log and summary"),
    }),
    bodyParser: rawUpload(ACCOUNT_IMPORT_LIMIT_BYTES),
    rawBody: { contentType: 'application/xml', description: 'a Sage 50 Customer XML export (Company/Customers/Customer)' },
    response: z.object({ summary: importSummarySchema }),
    async handler({ req, res, query }) {
      const { user } = principalOf(res);
      if ((query.all || query.force) && user.role !== 'owner') {
        throw new ForbiddenError(
          'only an owner can import a full export (it marks missing accounts inactive); import it without "full export", or ask an owner',
        );
      }
      const body: unknown = req.body;
      if (!Buffer.isBuffer(body) || body.length === 0) throw new ValidationError('no file was sent: the request body is empty');
      const summary = await importAccounts(db, slices(body), {
        all: query.all === true,
        force: query.force === true,
        fileName: query.fileName ?? 'upload.xml',
        actor: user.username,
        clock,
      });
      return { summary };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/accounts',
    summary: 'List Sage accounts',
    description: 'The account mirror by code, filtered and paged, with how many accounts there are of each status and the last import.',
    tags: ['accounts'],
    roles: ANY_ROLE,
    query: z.object({
      search: z.string().trim().max(200).optional().describe('part of the code, name or an email'),
      codes: z
        .string()
        .max(2000)
        .transform((v) => [
          ...new Set(
            v
              .split(',')
              .map((c) => c.trim().toUpperCase())
              .filter(Boolean),
          ),
        ])
        .pipe(z.array(z.string().max(32)).max(200, 'at most 200 codes'))
        .optional()
        .describe('exactly these account codes, separated by commas (e.g. to check codes before saving them)'),
      status: z.enum(ACCOUNT_STATUSES).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
    }),
    response: z.object({
      total: z.number().int(),
      accounts: z.array(accountSchema),
      counts: z.object({ active: z.number().int(), inactive: z.number().int(), pending: z.number().int() }),
      lastImport: lastImportSchema,
    }),
    async handler({ query }) {
      const { total, accounts } = await listAccounts(db, {
        search: query.search || undefined,
        codes: query.codes,
        status: query.status,
        limit: query.limit,
        offset: query.offset,
      });
      const last = await latestImport(db);
      return {
        total,
        accounts,
        counts: await countAccountsByStatus(db),
        lastImport: last
          ? {
              id: Number(last.id),
              file: last.file_name,
              kind: last.kind,
              actor: last.actor,
              finishedAt: last.finished_at!,
              customers: Number(last.customers),
            }
          : null,
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/accounts/:code',
    summary: 'Show one Sage account',
    description: 'Status, emails, the exported record, who it was created for, and the WooCommerce customers linked to it.',
    tags: ['accounts'],
    roles: ANY_ROLE,
    params: z.object({ code: z.string().trim().min(1).max(32) }),
    response: z.object({
      account: z.object({
        code: z.string(),
        name: z.string().nullable(),
        status: z.enum(ACCOUNT_STATUSES),
        origin: z.string(),
        ownerKey: z.string().nullable(),
        emails: z.array(z.string()),
        details: z.unknown(),
        createdAt: z.string(),
        confirmedAt: z.string().nullable(),
      }),
      linkedCustomers: z.array(
        z.object({ customerId: z.number().int(), email: z.string().nullable(), name: z.string(), company: z.string().nullable() }),
      ),
    }),
    async handler({ params }) {
      const code = params.code.toUpperCase();
      const account = await describeAccount(db, code);
      if (!account) throw new NotFoundError(`${code} is not in the Sage account mirror`, { code });
      return { account, linkedCustomers: await customersLinkedTo(db, code) };
    },
  }),
];
