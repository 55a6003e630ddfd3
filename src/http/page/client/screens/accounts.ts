import { api, ApiError, withQuery } from '../api.ts';
import { openDrawer } from '../components/drawer.ts';
import { h, replaceChildren, srOnly } from '../dom.ts';
import { dateTime, plural } from '../format.ts';
import { addressOf, type Screen, type ScreenContext } from '../screen.ts';
import type { AccountDetail, AccountList, AccountStatus, SageAccount } from '../types.ts';
import { importPanel } from './account-import.ts';
import { accountClashesPanel } from './account-clashes.ts';
import { emailLinksPanel } from './email-links.ts';

const PAGE_SIZE = 50;
const CONFIRM_EMPTY_ROUTE = { method: 'post', path: '/api/accounts/confirm-empty' } as const;
const STATUS_TEXT: Record<AccountStatus, string> = {
  active: 'Active',
  inactive: 'Inactive (missing from the last full export)',
  pending: 'Pending (created by woo-sage, not yet seen in a Sage export)',
};

/** The readable parts of an exported record: its plain fields and the invoice address on one line. */
function recordFacts(details: unknown): Array<[string, string]> {
  if (!details || typeof details !== 'object') return [];
  const record = details as Record<string, unknown>;
  const facts: Array<[string, string]> = [];
  const address = record.CustomerInvoiceAddress;
  if (address && typeof address === 'object') {
    const a = address as Record<string, unknown>;
    const line = ['Forename', 'Surname', 'Company', 'Address1', 'Address2', 'Town', 'Postcode', 'Country']
      .map((k) => a[k])
      .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
      .join(', ');
    if (line) facts.push(['Invoice address', line]);
    if (typeof a.Telephone === 'string' && a.Telephone) facts.push(['Telephone', a.Telephone]);
  }
  for (const [key, value] of Object.entries(record)) {
    if (facts.length >= 12) break;
    if (typeof value === 'string' && value.trim() && !['AccountReference', 'CompanyName'].includes(key)) facts.push([key, value]);
  }
  return facts;
}

function showAccount(code: string, announce: (m: string) => void): void {
  const drawer = openDrawer({ title: `Account ${code}`, closeLabel: `Close account ${code}` });
  replaceChildren(drawer.body, h('p', { role: 'status' }, 'Loading…'));
  void (async () => {
    let detail: AccountDetail;
    try {
      detail = await api.get<AccountDetail>(`/api/accounts/${encodeURIComponent(code)}`);
    } catch (err) {
      replaceChildren(drawer.body, h('p', { role: 'alert' }, err instanceof ApiError ? err.message : String(err)));
      return;
    }
    const a = detail.account;
    const rows: Array<[string, string]> = [
      ['Name', a.name ?? '—'],
      ['Status', STATUS_TEXT[a.status]],
      ['Came from', a.origin === 'created' ? 'created by woo-sage for a new buyer' : 'a Sage customer export'],
      ['Emails', a.emails.join(', ') || '—'],
      ['Known since', dateTime(a.createdAt)],
      ['Confirmed by Sage', a.confirmedAt ? dateTime(a.confirmedAt) : 'not yet'],
      ...recordFacts(a.details),
    ];
    replaceChildren(
      drawer.body,
      h(
        'dl',
        { className: 'facts' },
        rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
      ),
      h(
        'section',
        { 'aria-labelledby': 'linked-title' },
        h('h3', { id: 'linked-title' }, 'WooCommerce customers linked to it'),
        detail.linkedCustomers.length === 0
          ? h('p', { className: 'empty' }, 'None.')
          : h(
              'ul',
              {},
              detail.linkedCustomers.map((c) =>
                h('li', {}, `${c.name || c.company || 'customer'} (customer ${c.customerId})`, c.email ? ` — ${c.email}` : ''),
              ),
            ),
        h('p', {}, h('a', { href: addressOf('customers', { search: a.code }) }, 'Find customers with this code')),
      ),
    );
    announce(`Account ${code} loaded.`);
  })();
}

/** Sage accounts: import an export, see when the list was last refreshed, search it, open an account. */
async function renderAccounts(ctx: ScreenContext): Promise<HTMLElement> {
  let search = ctx.params.get('search') ?? '';
  let status = (ctx.params.get('status') ?? '') as '' | AccountStatus;
  let offset = 0;
  const lastImport = h('p', { className: 'last-import' });
  const counts = h('p', { className: 'account-counts' });
  const resultsStatus = h('p', { className: 'results-status', role: 'status' });
  const tbody = h('tbody');
  const previous = h('button', { type: 'button', className: 'button secondary' }, '← Previous');
  const next = h('button', { type: 'button', className: 'button secondary' }, 'Next →');
  const pageLabel = h('span');

  function row(a: SageAccount): HTMLTableRowElement {
    return h(
      'tr',
      {},
      h(
        'th',
        { scope: 'row' },
        h(
          'button',
          { type: 'button', className: 'link-button code', 'aria-haspopup': 'dialog', onclick: () => showAccount(a.code, ctx.announce) },
          srOnly('Show account '),
          a.code,
        ),
      ),
      h('td', {}, a.name ?? '—'),
      h('td', {}, a.status),
      h('td', { className: 'emails-cell' }, a.emails.join(', ') || '—'),
      h('td', { className: 'nowrap' }, dateTime(a.updatedAt)),
    );
  }

  async function load(): Promise<void> {
    resultsStatus.textContent = 'Loading…';
    const list = await api.get<AccountList>(withQuery('/api/accounts', { search, status, limit: PAGE_SIZE, offset }));
    const li = list.lastImport;
    replaceChildren(
      lastImport,
      li
        ? li.kind === 'empty'
          ? `${li.actor} confirmed on ${dateTime(li.finishedAt)} that Sage had no customers yet; import an export when it has some.`
          : `Last import: ${li.file} (${li.kind === 'all' ? 'full export' : 'new or changed customers'}, ${plural(li.customers, 'account')}) by ${li.actor}, ${dateTime(li.finishedAt)}.`
        : 'No Sage export has been imported yet: until one is, no new account is created (orders that need one wait), because a new code could be one Sage already uses for another customer.',
      li ? null : confirmEmptyButton(),
    );
    const c = list.counts;
    counts.textContent = `${plural(c.active + c.inactive + c.pending, 'account')} known: ${c.active} active, ${c.inactive} inactive, ${c.pending} pending.`;
    replaceChildren(
      tbody,
      list.accounts.length ? list.accounts.map(row) : h('tr', {}, h('td', { colSpan: 5, className: 'empty' }, 'No accounts match.')),
    );
    resultsStatus.textContent =
      list.total === 0
        ? 'No accounts match.'
        : `${plural(list.total, 'account')} ${list.total === 1 ? 'matches' : 'match'}. Showing ${offset + 1}–${offset + list.accounts.length}.`;
    previous.disabled = offset === 0;
    next.disabled = offset + list.accounts.length >= list.total;
    pageLabel.textContent = `Page ${Math.floor(offset / PAGE_SIZE) + 1} of ${Math.max(1, Math.ceil(list.total / PAGE_SIZE))}`;
  }
  function confirmEmptyButton(): HTMLElement | null {
    if (!ctx.session.can(CONFIRM_EMPTY_ROUTE)) return null;
    const button = h('button', { type: 'button', className: 'button secondary' }, 'Sage has no customers yet');
    button.addEventListener('click', async () => {
      if (!window.confirm('Confirm that Sage has no customer accounts at all yet? New accounts will then be created from the next sync.'))
        return;
      button.disabled = true;
      try {
        await api.post(CONFIRM_EMPTY_ROUTE.path, {});
        ctx.announce('Recorded: Sage has no customers yet.');
        await loadOrSay();
      } catch (err) {
        resultsStatus.textContent = `Not recorded: ${err instanceof Error ? err.message : String(err)}`;
        button.disabled = false;
      }
    });
    return h('span', {}, ' ', button);
  }
  const loadOrSay = () =>
    load().catch((err: unknown) => {
      resultsStatus.textContent = `Could not load accounts: ${err instanceof Error ? err.message : String(err)}`;
    });
  previous.addEventListener('click', () => {
    offset = Math.max(0, offset - PAGE_SIZE);
    void loadOrSay();
  });
  next.addEventListener('click', () => {
    offset += PAGE_SIZE;
    void loadOrSay();
  });

  const searchInput = h('input', { id: 'accounts-search', name: 'search', type: 'search', value: search, spellcheck: false });
  const statusSelect = h(
    'select',
    { id: 'accounts-status', name: 'status' },
    h('option', { value: '' }, 'Any status'),
    (['active', 'inactive', 'pending'] as const).map((s) => h('option', { value: s, selected: s === status }, s)),
  );
  const filters = h(
    'form',
    { className: 'filters', role: 'search', 'aria-label': 'Filter accounts' },
    h(
      'div',
      { className: 'field grow' },
      h('label', { for: 'accounts-search' }, 'Search accounts'),
      searchInput,
      h('span', { className: 'hint', id: 'accounts-search-hint' }, 'Part of the account code, name or an email address'),
    ),
    h('div', { className: 'field' }, h('label', { for: 'accounts-status' }, 'Status'), statusSelect),
    h('div', { className: 'field actions' }, h('button', { type: 'submit', className: 'button' }, 'Search')),
  );
  searchInput.setAttribute('aria-describedby', 'accounts-search-hint');
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    search = searchInput.value.trim();
    status = statusSelect.value as '' | AccountStatus;
    offset = 0;
    ctx.go('accounts', { search: search || undefined, status: status || undefined }, { replace: true });
    void loadOrSay();
  });

  await load();
  return h(
    'div',
    { className: 'screen accounts' },
    h('h1', { tabindex: '-1' }, 'Sage accounts'),
    h(
      'p',
      { className: 'intro' },
      'The Sage customer accounts woo-sage matches orders against: imported from Sage, plus the accounts it created for new buyers.',
    ),
    lastImport,
    accountClashesPanel(ctx, () => void loadOrSay()),
    importPanel(ctx.session, () => void loadOrSay()),
    h(
      'section',
      { className: 'accounts-list', 'aria-labelledby': 'accounts-list-title' },
      h('h2', { id: 'accounts-list-title' }, 'Accounts'),
      counts,
      filters,
      resultsStatus,
      h(
        'div',
        { className: 'table-wrap' },
        h(
          'table',
          { className: 'data-table accounts-table' },
          h('caption', { className: 'visually-hidden' }, 'Sage accounts by code. Choose a code to see the account.'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Account', 'Name', 'Status', 'Emails', 'Updated'].map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          tbody,
        ),
      ),
      h('nav', { className: 'pager', 'aria-label': 'Pages of accounts' }, previous, pageLabel, next),
    ),
    emailLinksPanel(ctx),
  );
}

export const accountsScreen: Screen = {
  id: 'accounts',
  title: 'Sage accounts',
  needs: { method: 'get', path: '/api/accounts' },
  render: renderAccounts,
};
