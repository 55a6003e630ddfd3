import { z } from 'zod';
import { OWNER_ONLY } from '../../domain/roles.ts';
import { listAudit } from '../../db/audit-log.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';

const entrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  details: z.unknown().optional(),
});

export const auditRoutes: RouteModule = ({ db }) => [
  defineRoute({
    method: 'get',
    path: '/api/audit',
    summary: 'Read the audit log',
    description: 'Newest first. Page back with `before` = the `nextBefore` of the previous answer.',
    tags: ['audit'],
    roles: OWNER_ONLY,
    query: z.object({
      action: z.string().max(64).optional().describe('e.g. settings.set, users.add, tokens.issue'),
      subject: z.string().max(191).optional().describe('subject prefix, e.g. settings.createAccounts or users.'),
      limit: z.coerce.number().int().min(1).max(500).default(100),
      before: z.coerce.number().int().min(1).optional().describe('only entries older than this id'),
    }),
    response: z.object({ entries: z.array(entrySchema), nextBefore: z.number().int().nullable() }),
    async handler({ query }) {
      const entries = await listAudit(db, {
        action: query.action,
        subjectPrefix: query.subject,
        limit: query.limit,
        beforeId: query.before,
      });
      const last = entries[entries.length - 1];
      return { entries, nextBefore: entries.length === query.limit && last ? last.id : null };
    },
  }),
];
