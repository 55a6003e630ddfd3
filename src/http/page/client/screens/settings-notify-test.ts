import { api, ApiError } from '../api.ts';
import { h, replaceChildren } from '../dom.ts';
import type { RouteKey, Session } from '../session.ts';

/** POST /api/notifications/test (owners): a test message on every channel set up, one result each. */
export const NOTIFY_TEST_ROUTE: RouteKey = { method: 'post', path: '/api/notifications/test' };

interface TestAnswer {
  results: Array<{ channel: 'email' | 'webhook'; ok: boolean; error?: string }>;
}

const CHANNEL_NAMES = { email: 'Email', webhook: 'Webhook' } as const;

/** "Send a test message" with the saved notification settings; a role that may not call the route does not see it. */
export function notifyTestPanel(session: Session): HTMLElement | null {
  if (!session.can(NOTIFY_TEST_ROUTE)) return null;
  const result = h('div', { className: 'notify-test-result', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', className: 'button secondary' }, 'Send a test message');
  button.addEventListener('click', async () => {
    button.disabled = true;
    replaceChildren(result, 'Sending…');
    try {
      const answer = await api.post<TestAnswer>(NOTIFY_TEST_ROUTE.path, {});
      replaceChildren(
        result,
        h(
          'ul',
          {},
          answer.results.map((r) =>
            h(
              'li',
              { className: r.ok ? '' : 'field-error' },
              `${CHANNEL_NAMES[r.channel]}: ${r.ok ? 'sent' : `not sent: ${r.error ?? 'unknown error'}`}`,
            ),
          ),
        ),
      );
    } catch (err) {
      replaceChildren(result, h('p', { className: 'field-error' }, err instanceof ApiError ? err.message : String(err)));
    } finally {
      button.disabled = false;
    }
  });
  return h(
    'section',
    { className: 'panel', 'aria-labelledby': 'notify-test-title' },
    h('h2', { id: 'notify-test-title' }, 'Test the notifications'),
    h('p', {}, 'Sends a test message by email and to the webhook (NOTIFY_WEBHOOK_URL), with the settings as saved: save changes first.'),
    button,
    result,
  );
}
