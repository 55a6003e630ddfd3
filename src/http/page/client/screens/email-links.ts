import { api, ApiError, withQuery } from '../api.ts';
import { h, replaceChildren } from '../dom.ts';
import { dateTime, plural } from '../format.ts';
import { addressOf, type ScreenContext } from '../screen.ts';
import type { EmailLink } from '../types.ts';

const LIST_ROUTE = { method: 'get', path: '/api/email-links' } as const;
const REMOVE_ROUTE = { method: 'delete', path: '/api/email-links/{email}' } as const;

/**
 * "Remembered email links": billing emails whose later orders get an account a person chose when
 * assigning an order. Each can be removed; later orders from it are then decided by the rules.
 */
export function emailLinksPanel(ctx: ScreenContext): HTMLElement | null {
  if (!ctx.session.can(LIST_ROUTE)) return null;
  const status = h('p', { className: 'results-status', role: 'status' });
  const tbody = h('tbody');
  const canRemove = ctx.session.can(REMOVE_ROUTE);

  function row(link: EmailLink): HTMLTableRowElement {
    const remove = h('button', { type: 'button', className: 'button secondary small' }, 'Remove');
    remove.setAttribute('aria-label', `Remove the link of ${link.email} to ${link.accountCode}`);
    remove.addEventListener('click', async () => {
      remove.disabled = true;
      try {
        await api.delete(`/api/email-links/${encodeURIComponent(link.email)}`);
        ctx.announce(`${link.email} no longer goes to ${link.accountCode}.`);
        await load();
      } catch (err) {
        status.textContent = `Not removed: ${err instanceof ApiError ? err.message : String(err)}`;
        remove.disabled = false;
      }
    });
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, link.email),
      h('td', { className: 'code' }, link.accountCode),
      h(
        'td',
        {},
        `${link.actor}, ${dateTime(link.createdAt)}`,
        link.fromOrderId
          ? [' (order ', h('a', { href: addressOf('orders', { search: String(link.fromOrderId) }) }, `#${link.fromOrderId}`), ')']
          : null,
        link.reason ? `: ${link.reason}` : null,
      ),
      h('td', {}, canRemove ? remove : null),
    );
  }

  async function load(): Promise<void> {
    const page = await api.get<{ total: number; links: EmailLink[] }>(withQuery(LIST_ROUTE.path, { limit: 200 }));
    status.textContent =
      page.total === 0
        ? 'None yet. Assigning an account to an order with "Also use it for later orders from…" adds one.'
        : `${plural(page.total, 'remembered email')}.`;
    replaceChildren(tbody, page.links.map(row));
  }
  void load().catch((err: unknown) => {
    status.textContent = `Could not load the remembered emails: ${err instanceof Error ? err.message : String(err)}`;
  });
  return h(
    'section',
    { className: 'email-links', 'aria-labelledby': 'email-links-title' },
    h('h2', { id: 'email-links-title' }, 'Remembered email links'),
    h('p', { className: 'hint' }, 'Later orders from these billing emails get the account a person chose (rule MANUAL).'),
    status,
    h(
      'div',
      { className: 'table-wrap' },
      h(
        'table',
        { className: 'data-table' },
        h('caption', { className: 'visually-hidden' }, 'Billing emails and the Sage account remembered for each'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Email', 'Account', 'Remembered by', ''].map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        tbody,
      ),
    ),
  );
}
