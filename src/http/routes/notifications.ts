import { z } from 'zod';
import { OWNER_ONLY } from '../../domain/roles.ts';
import { recordAudit } from '../../db/audit-log.ts';
import { sendTestNotification } from '../../pipeline/send-test-notification.ts';
import { getSettings } from '../../settings/store.ts';
import { principalOf } from '../principal.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';

const resultSchema = z.object({
  channel: z.enum(['email', 'webhook']),
  ok: z.boolean(),
  error: z.string().optional().describe('why this channel did not take the message (never a secret)'),
});

export const notificationRoutes: RouteModule = ({ db, config, clock }) => [
  defineRoute({
    method: 'post',
    path: '/api/notifications/test',
    summary: 'Send a test notification',
    description:
      'Sends a test message on every channel set up now (email from the saved notify* settings and SMTP_PASSWORD; the webhook from NOTIFY_WEBHOOK_URL), each on its own, and answers what became of each. 400 when no channel is set up. Audited.',
    tags: ['settings'],
    roles: OWNER_ONLY,
    body: z.object({}).strict(),
    response: z.object({ results: z.array(resultSchema) }),
    async handler({ res }) {
      const { user } = principalOf(res);
      const results = await sendTestNotification(await getSettings(db), {
        smtpPassword: config.smtpPassword,
        notifyWebhookUrl: config.notifyWebhookUrl,
      });
      await recordAudit(db, {
        at: clock.now(),
        actor: user.username,
        action: 'notifications.test',
        subject: 'notifications',
        details: { results },
      });
      return { results };
    },
  }),
];
