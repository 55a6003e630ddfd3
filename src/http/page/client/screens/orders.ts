import { ORDER_STATES } from '../../../../domain/order-state.ts';
import { api, withQuery } from '../api.ts';
import { closeDrawer } from '../components/drawer.ts';
import { orderStateBadge } from '../components/state-badge.ts';
import { h, replaceChildren, srOnly } from '../dom.ts';
import { dateTime, money, plural } from '../format.ts';
import type { Screen, ScreenContext } from '../screen.ts';
import type { OrderList, OrderSummary } from '../types.ts';
import { availableActions } from './bulk-actions.ts';
import { showOrder } from './order-detail.ts';

const PAGE_SIZE = 50;

interface Filters {
  state: string;
  search: string;
  since: string;
  changedAfterExport: boolean;
}

function filtersFrom(params: URLSearchParams): Filters {
  return {
    state: params.get('state') ?? '',
    search: params.get('search') ?? '',
    since: params.get('since') ?? '',
    changedAfterExport: params.get('changedAfterExport') === 'true',
  };
}

function filterForm(initial: Filters, onApply: (f: Filters) => void): HTMLFormElement {
  const state = h(
    'select',
    { id: 'filter-state', name: 'state' },
    h('option', { value: '' }, 'Any state'),
    ORDER_STATES.map((s) => h('option', { value: s, selected: s === initial.state }, s)),
  );
  const search = h('input', { id: 'filter-search', name: 'search', type: 'search', value: initial.search, spellcheck: false });
  const since = h('input', { id: 'filter-since', name: 'since', type: 'date', value: initial.since });
  const changed = h('input', { id: 'filter-changed', name: 'changedAfterExport', type: 'checkbox', checked: initial.changedAfterExport });
  const form = h(
    'form',
    { className: 'filters', role: 'search', 'aria-label': 'Filter orders' },
    h('div', { className: 'field' }, h('label', { for: 'filter-state' }, 'State'), state),
    h(
      'div',
      { className: 'field grow' },
      h('label', { for: 'filter-search' }, 'Search'),
      search,
      h('span', { className: 'hint', id: 'filter-search-hint' }, "Order number, part of the email or the buyer's name, or account code"),
    ),
    h('div', { className: 'field' }, h('label', { for: 'filter-since' }, 'State changed since'), since),
    h('div', { className: 'field check' }, changed, h('label', { for: 'filter-changed' }, 'Changed after export only')),
    h(
      'div',
      { className: 'field actions' },
      h('button', { type: 'submit', className: 'button' }, 'Apply filters'),
      h(
        'button',
        {
          type: 'button',
          className: 'button secondary',
          onclick: () => {
            state.value = '';
            search.value = '';
            since.value = '';
            changed.checked = false;
            onApply(filtersFrom(new URLSearchParams()));
          },
        },
        'Clear',
      ),
    ),
  );
  search.setAttribute('aria-describedby', 'filter-search-hint');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onApply({ state: state.value, search: search.value.trim(), since: since.value, changedAfterExport: changed.checked });
  });
  return form;
}

/** The orders screen: filters (kept in the address), a table with selection, keyset paging, bulk actions, the detail drawer. */
async function renderOrders(ctx: ScreenContext): Promise<HTMLElement> {
  let filters = filtersFrom(ctx.params);
  /** `before` cursors of the pages seen so far; the last one is the page shown. */
  let cursors: Array<number | undefined> = [undefined];
  let page: OrderList = { orders: [], total: 0, nextBefore: null };
  const selected = new Map<number, OrderSummary>();

  const status = h('p', { className: 'results-status', role: 'status' });
  const tbody = h('tbody');
  const selectAll = h('input', { type: 'checkbox', id: 'select-page', 'aria-label': 'Select every order on this page' });
  const newer = h('button', { type: 'button', className: 'button secondary' }, '← Newer');
  const older = h('button', { type: 'button', className: 'button secondary' }, 'Older →');
  const pageLabel = h('span', { className: 'page-label' });
  const bulkCount = h('span', { className: 'bulk-count' });
  const bulkResult = h('span', { className: 'bulk-result', role: 'status' });
  const actions = availableActions(ctx.session);
  const bulkBar = h(
    'div',
    { className: 'bulk-bar', role: 'region', 'aria-label': 'Selected orders', hidden: true },
    bulkCount,
    actions.map((action) =>
      h(
        'button',
        {
          type: 'button',
          className: 'button',
          async onclick() {
            bulkResult.textContent = 'Working…';
            try {
              bulkResult.textContent = await action.run([...selected.values()], { reload: () => load() });
            } catch (err) {
              bulkResult.textContent = err instanceof Error ? err.message : String(err);
            }
          },
        },
        action.label,
      ),
    ),
    h(
      'button',
      {
        type: 'button',
        className: 'button secondary',
        onclick: () => {
          selected.clear();
          bulkResult.textContent = '';
          syncSelection();
          selectAll.focus();
        },
      },
      'Clear selection',
    ),
    bulkResult,
  );

  function syncSelection(): void {
    for (const box of tbody.querySelectorAll<HTMLInputElement>('input[type=checkbox]')) box.checked = selected.has(Number(box.value));
    const onPage = page.orders.filter((o) => selected.has(o.id)).length;
    selectAll.checked = onPage > 0 && onPage === page.orders.length;
    selectAll.indeterminate = onPage > 0 && onPage < page.orders.length;
    bulkBar.hidden = selected.size === 0;
    bulkCount.textContent = `${plural(selected.size, 'order')} selected`;
  }

  const reload = () => load();

  function row(o: OrderSummary): HTMLTableRowElement {
    const box = h('input', { type: 'checkbox', value: String(o.id), 'aria-label': `Select order ${o.id}` });
    box.addEventListener('change', () => {
      if (box.checked) selected.set(o.id, o);
      else selected.delete(o.id);
      syncSelection();
    });
    const problem =
      o.lastError ?? (o.changedAfterExport ? `Changed after export: ${o.changeSummary ?? 'see history'}` : (o.waitingReason ?? ''));
    // data-label: on a phone each row is a card and names its values (tables.css).
    return h(
      'tr',
      {},
      h('td', { className: 'select' }, box),
      h(
        'td',
        { className: 'order-cell' },
        h(
          'button',
          { type: 'button', className: 'link-button', 'aria-haspopup': 'dialog', onclick: () => showOrder(o.id, { ...ctx, reload }) },
          srOnly('Show order '),
          `#${o.number ?? o.id}`,
        ),
      ),
      h('td', { className: 'state-cell', 'data-label': 'State' }, orderStateBadge(o)),
      h('td', { className: 'status-cell', 'data-label': 'WooCommerce' }, o.status),
      h('td', { className: 'num total-cell', 'data-label': 'Total' }, money(o.totalMinor, o.currency)),
      h(
        'td',
        { className: 'buyer-cell', 'data-label': 'Buyer' },
        o.billingName ? h('span', { className: 'buyer-name' }, o.billingName) : null,
        o.billingName && o.billingEmail ? h('br') : null,
        o.billingEmail ? h('span', { className: 'hint buyer-email' }, o.billingEmail) : null,
        !o.billingName && !o.billingEmail ? '—' : null,
      ),
      h(
        'td',
        { className: 'account-cell', 'data-label': 'Account' },
        o.accountCode ?? '—',
        o.rule ? h('span', { className: 'hint' }, ` ${o.rule}`) : null,
      ),
      h('td', { className: 'problem-cell', 'data-label': 'Problem', title: problem }, problem),
      h('td', { className: 'nowrap changed-cell', 'data-label': 'State changed' }, dateTime(o.stateChangedAt)),
    );
  }

  async function load(): Promise<void> {
    status.textContent = 'Loading…';
    const before = cursors[cursors.length - 1];
    page = await api.get<OrderList>(
      withQuery('/api/orders', {
        state: filters.state,
        search: filters.search,
        since: filters.since,
        changedAfterExport: filters.changedAfterExport ? 'true' : undefined,
        limit: PAGE_SIZE,
        before,
      }),
    );
    replaceChildren(
      tbody,
      page.orders.length === 0
        ? h('tr', {}, h('td', { colSpan: 9, className: 'empty' }, 'No orders match these filters.'))
        : page.orders.map(row),
    );
    const first = (cursors.length - 1) * PAGE_SIZE + 1;
    status.textContent =
      page.total === 0
        ? 'No orders match.'
        : `${plural(page.total, 'order')} ${page.total === 1 ? 'matches' : 'match'}. Showing ${first}–${first + page.orders.length - 1}, newest first.`;
    pageLabel.textContent = `Page ${cursors.length}`;
    newer.disabled = cursors.length === 1;
    older.disabled = page.nextBefore === null;
    syncSelection();
  }

  selectAll.addEventListener('change', () => {
    for (const o of page.orders) {
      if (selectAll.checked) selected.set(o.id, o);
      else selected.delete(o.id);
    }
    syncSelection();
  });
  /** Loads, or says in the results line why it could not. */
  const loadOrSay = () =>
    load().then(
      () => true,
      (err: unknown) => {
        status.textContent = `Could not load orders: ${err instanceof Error ? err.message : String(err)}`;
        return false;
      },
    );
  newer.addEventListener('click', () => {
    cursors = cursors.slice(0, -1);
    void loadOrSay().then(() => (newer.disabled ? older : newer).focus());
  });
  older.addEventListener('click', () => {
    if (page.nextBefore === null) return;
    cursors = [...cursors, page.nextBefore];
    void loadOrSay().then(() => (older.disabled ? newer : older).focus());
  });

  const form = filterForm(filters, (next) => {
    filters = next;
    cursors = [undefined];
    selected.clear();
    closeDrawer();
    ctx.go(
      'orders',
      {
        state: next.state || undefined,
        search: next.search || undefined,
        since: next.since || undefined,
        changedAfterExport: next.changedAfterExport ? 'true' : undefined,
      },
      { replace: true },
    );
    void loadOrSay();
  });

  await load();
  // A link from a notification (#/orders?search=1053&order=1053) opens that order's panel once the list is shown.
  const linked = Number(ctx.params.get('order'));
  if (Number.isSafeInteger(linked) && linked > 0) setTimeout(() => showOrder(linked, { ...ctx, reload }), 0);
  return h(
    'div',
    { className: 'screen orders' },
    h('h1', { tabindex: '-1' }, 'Orders'),
    form,
    status,
    bulkBar,
    h(
      'div',
      { className: 'table-wrap' },
      h(
        'table',
        { className: 'data-table orders-table' },
        h('caption', { className: 'visually-hidden' }, 'Orders, newest first. Choose an order number to see why it is in its state.'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', className: 'select' }, selectAll),
            ['Order', 'State', 'WooCommerce', 'Total', 'Buyer', 'Account', 'Problem', 'State changed'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        tbody,
      ),
    ),
    h('nav', { className: 'pager', 'aria-label': 'Pages of orders' }, newer, pageLabel, older),
  );
}

export const ordersScreen: Screen = {
  id: 'orders',
  title: 'Orders',
  needs: { method: 'get', path: '/api/orders' },
  render: renderOrders,
};
