import { api, ApiError } from '../api.ts';
import { h, replaceChildren } from '../dom.ts';
import { dateTime } from '../format.ts';
import type { ScreenContext } from '../screen.ts';
import type { AccountClash, RecodeResult } from '../types.ts';

const LIST_ROUTE = { method: 'get', path: '/api/account-clashes' } as const;
const RECODE_ROUTE = { method: 'post', path: '/api/account-clashes/{code}/recode' } as const;

const buyer = (b: AccountClash['sage']) => `${b.name ?? 'no name'}${b.emails.length ? ` (${b.emails.join(', ')})` : ''}`;

/**
 * Open clashes: a code Sage uses for another customer than the one woo-sage created it for. Both
 * accounts are shown; "Re-code" gives the created one the next free code and sends its documents
 * again, and says what must be fixed in Sage itself.
 */
export function accountClashesPanel(ctx: ScreenContext, onChanged: () => void): HTMLElement | null {
  if (!ctx.session.can(LIST_ROUTE)) return null;
  const list = h('div', { className: 'clash-list' });
  const result = h('div', { className: 'form-status', role: 'status' });
  const section = h(
    'section',
    { className: 'notice clashes', 'aria-labelledby': 'clashes-title', hidden: true },
    h('h2', { id: 'clashes-title' }, 'Account codes that clash with Sage'),
    h(
      'p',
      {},
      'Sage uses these codes for another customer than the buyer woo-sage created them for. Neither account was overwritten; the orders of the created account are held until it is re-coded.',
    ),
    list,
    result,
  );

  function item(clash: AccountClash): HTMLElement {
    const button = h('button', { type: 'button', className: 'button' }, `Re-code ${clash.code}`);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const done = await api.post<RecodeResult>(`/api/account-clashes/${encodeURIComponent(clash.code)}/recode`, {});
        replaceChildren(
          result,
          h(
            'p',
            {},
            `The account created here is now ${done.newCode}; ${done.code} is Sage's own account again. ${done.reprocessed.length} order(s) processed again.`,
          ),
          done.instructions.length
            ? h(
                'ul',
                {},
                done.instructions.map((line) => h('li', {}, `To do in Sage: ${line}`)),
              )
            : null,
        );
        ctx.announce(`${done.code} re-coded to ${done.newCode}.`);
        onChanged();
        await load();
      } catch (err) {
        replaceChildren(result, `Not re-coded: ${err instanceof ApiError ? err.message : String(err)}`);
        button.disabled = false;
      }
    });
    return h(
      'div',
      { className: 'clash' },
      h(
        'dl',
        { className: 'facts' },
        h('dt', {}, 'Code'),
        h('dd', {}, clash.code),
        h('dt', {}, 'Created here for'),
        h('dd', {}, buyer(clash.created)),
        h('dt', {}, 'In Sage'),
        h('dd', {}, buyer(clash.sage)),
        h('dt', {}, 'Found'),
        h('dd', {}, dateTime(clash.detectedAt)),
      ),
      ctx.session.can(RECODE_ROUTE) ? button : null,
    );
  }

  async function load(): Promise<void> {
    const { clashes } = await api.get<{ clashes: AccountClash[] }>('/api/account-clashes?state=open');
    section.hidden = clashes.length === 0 && !result.textContent;
    replaceChildren(list, clashes.map(item));
  }
  void load().catch(() => undefined);
  return section;
}
