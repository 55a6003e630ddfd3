import { ORDER_STATES } from '../../../../domain/order-state.ts';
import { api } from '../api.ts';
import { stateBadge } from '../components/state-badge.ts';
import { stateChart } from '../components/state-chart.ts';
import { h } from '../dom.ts';
import { ago, dateTime, durationMs, plural } from '../format.ts';
import { addressOf, type Screen } from '../screen.ts';
import type { Dashboard } from '../types.ts';

function card(title: string, ...content: Array<Node | string | null>): HTMLElement {
  return h('section', { className: 'card', 'aria-label': title }, h('h2', {}, title), ...content);
}

function attentionCard(d: Dashboard): HTMLElement {
  const { held, failed, changedAfterExport, total } = d.attention;
  const rows: Array<[string, number, string, string]> = [
    ['Held', held, addressOf('orders', { state: 'held' }), 'no account could be chosen'],
    ['Failed', failed, addressOf('orders', { state: 'failed' }), 'export or import failed'],
    ['Changed after export', changedAfterExport, addressOf('orders', { changedAfterExport: 'true' }), 'decide in Sage'],
  ];
  return card(
    'Needs attention',
    h('p', { className: `big-number${total > 0 ? ' warn' : ''}` }, total === 0 ? 'Nothing' : plural(total, 'order')),
    h(
      'ul',
      { className: 'link-list' },
      rows.map(([label, n, href, why]) => h('li', {}, h('a', { href }, `${label}: ${n}`), h('span', { className: 'hint' }, ` — ${why}`))),
    ),
  );
}

function queueCard(d: Dashboard): HTMLElement {
  const q = d.queue;
  const others = Object.entries(q.byState).filter(([, n]) => n > 0);
  return card(
    'Export queue',
    h('p', { className: 'big-number' }, `${q.waiting} waiting`),
    h(
      'p',
      {},
      q.oldestWaitingSince
        ? [
            'Oldest queued ',
            h('time', { dateTime: q.oldestWaitingSince, title: dateTime(q.oldestWaitingSince) }, ago(q.oldestWaitingSince, d.now)),
          ]
        : 'Nothing is waiting to be delivered.',
    ),
    others.length
      ? h(
          'ul',
          { className: 'inline-list', 'aria-label': 'Documents by state' },
          others.map(([state, n]) => h('li', {}, `${state}: ${n}`)),
        )
      : h('p', { className: 'hint' }, 'No documents yet.'),
  );
}

function pollCard(d: Dashboard): HTMLElement {
  const poll = d.lastPoll;
  if (!poll)
    return card('Last poll', h('p', { className: 'big-number' }, 'None yet'), h('p', {}, 'No successful poll of the shop is recorded.'));
  return card(
    'Last poll',
    h('p', { className: 'big-number' }, h('time', { dateTime: poll.at, title: dateTime(poll.at) }, ago(poll.at, d.now))),
    h('p', {}, `${dateTime(poll.at)}; took ${durationMs(poll.durationMs)}, read ${plural(poll.orders, 'order')}.`),
  );
}

/** Before go-live: nothing that needs a new account goes until Sage's own accounts are known. */
function sageAccountsNotice(d: Dashboard): HTMLElement | null {
  const { known, waitingForImport } = d.sageAccounts;
  if (known && waitingForImport === 0) return null;
  return h(
    'section',
    { className: 'notice', role: 'status', 'aria-labelledby': 'sage-accounts-title' },
    h('h2', { id: 'sage-accounts-title' }, known ? 'Orders waiting for the next sync' : 'Import your Sage customers first'),
    h(
      'p',
      {},
      known
        ? `${plural(waitingForImport, 'order')} waited for the Sage customers and will be processed by the next sync.`
        : `No Sage customer export has been imported yet, so no new Sage account is created: a new code could be one Sage already uses for another customer. ${waitingForImport > 0 ? `${plural(waitingForImport, 'order')} need a new account and wait.` : ''}`,
    ),
    known
      ? null
      : h(
          'p',
          {},
          h('a', { href: addressOf('accounts') }, 'Import the Sage customer export'),
          ' (or, if Sage has no customers yet, say so there: woo-sage accounts import --empty).',
        ),
  );
}

function byStateNow(d: Dashboard): HTMLElement {
  return h(
    'section',
    { className: 'panel', 'aria-labelledby': 'now-title' },
    h('h2', { id: 'now-title' }, 'Orders by state now'),
    h(
      'ul',
      { className: 'state-counts' },
      ORDER_STATES.map((s) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: addressOf('orders', { state: s }), 'aria-label': `${d.ordersByState[s]} ${s}: show them` },
            stateBadge(s),
            h('span', { className: 'count' }, d.ordersByState[s]),
          ),
        ),
      ),
    ),
  );
}

export const dashboardScreen: Screen = {
  id: 'dashboard',
  title: 'Dashboard',
  needs: { method: 'get', path: '/api/dashboard' },
  async render() {
    const d = await api.get<Dashboard>('/api/dashboard');
    const chartTitle = `Orders entering each state per day, last ${d.stateChangesPerDay.length} days (UTC)`;
    return h(
      'div',
      { className: 'screen dashboard' },
      h('h1', { tabindex: '-1' }, 'Dashboard'),
      sageAccountsNotice(d),
      h('div', { className: 'cards' }, attentionCard(d), queueCard(d), pollCard(d)),
      byStateNow(d),
      h(
        'section',
        { className: 'panel', 'aria-labelledby': 'history-title' },
        h('h2', { id: 'history-title' }, chartTitle),
        stateChart(d.stateChangesPerDay, chartTitle),
      ),
    );
  },
};
