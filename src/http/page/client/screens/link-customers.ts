import { accountCodeWarnings } from '../account-warning.ts';
import { api, ApiError, withQuery } from '../api.ts';
import { askBeforeSaving } from '../components/confirm-panel.ts';
import { h, replaceChildren, srOnly } from '../dom.ts';
import { plural } from '../format.ts';
import { addressOf, goOrReload, type Screen, type ScreenContext } from '../screen.ts';
import type { CustomerLink, CustomerLinkPage, LinkAnswer, LinkRowResult, LinkStatus } from '../types.ts';

const PAGE_SIZE = 50;
/** The server takes this many rows per request; more are sent in turn. */
const ROWS_PER_REQUEST = 100;
const LINK_ROUTE = { method: 'post', path: '/api/customers/links' } as const;

const STATUS_TEXT: Record<LinkStatus, string> = { linked: 'Linked', unlinked: 'Not linked', conflicting: 'Conflicting' };

interface Filters {
  status: '' | LinkStatus;
  search: string;
  page: number;
  /** One customer only: opened from an order's panel. */
  customer?: number;
}

function filtersFrom(params: URLSearchParams): Filters {
  const status = params.get('status');
  const page = Number(params.get('page'));
  const customer = Number(params.get('customer'));
  return {
    customer: Number.isInteger(customer) && customer > 0 ? customer : undefined,
    status: status === 'linked' || status === 'unlinked' || status === 'conflicting' ? status : '',
    search: params.get('search') ?? '',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

function linkBadge(status: LinkStatus): HTMLElement {
  return h('span', { className: `badge link-${status}` }, STATUS_TEXT[status]);
}

/** One table row: who the customer is, their link now, a code box with suggestions, and the result of saving it. */
class LinkRow {
  readonly element: HTMLTableRowElement;
  readonly input: HTMLInputElement;
  private readonly statusCell = h('td');
  private readonly accountCell = h('td');
  private readonly resultCell: HTMLTableCellElement;
  /** "Email matches: Use ACME01": hidden once the customer is linked. */
  private readonly suggestions: HTMLDivElement;

  constructor(
    private link: CustomerLink,
    editable: boolean,
  ) {
    const who = link.name || link.company || link.email || `customer ${link.customerId}`;
    const inputId = `code-${link.customerId}`;
    const resultId = `result-${link.customerId}`;
    this.input = h('input', {
      id: inputId,
      name: 'code',
      value: link.profileCode ?? '',
      autocomplete: 'off',
      spellcheck: false,
      maxLength: 32,
      size: 10,
      className: 'code-input',
      disabled: !editable,
      'aria-describedby': resultId,
    });
    this.input.addEventListener('input', () => {
      this.input.removeAttribute('aria-invalid');
      this.element.classList.toggle('changed', this.changed());
    });
    this.resultCell = h('td', { id: resultId, className: 'link-result' });
    const suggestions = link.emailMatches.filter((code) => code !== link.account?.code);
    this.suggestions = h('div', { className: 'suggestions', hidden: !editable || suggestions.length === 0 });
    this.element = h(
      'tr',
      { 'data-customer': String(link.customerId) },
      h(
        'th',
        { scope: 'row' },
        h('span', { className: 'customer-name' }, who),
        link.company && link.company !== who ? h('span', { className: 'hint' }, ` (${link.company})`) : null,
        h('br'),
        h('span', { className: 'hint' }, link.email ?? 'no email', ` · customer ${link.customerId}`),
      ),
      this.statusCell,
      this.accountCell,
      h(
        'td',
        { className: 'code-cell' },
        h('label', { for: inputId, className: 'visually-hidden' }, `Sage account code for ${who}`),
        this.input,
        this.suggestions,
      ),
      this.resultCell,
    );
    replaceChildren(
      this.suggestions,
      h('span', { className: 'hint' }, 'Email matches: '),
      suggestions.map((code) =>
        h(
          'button',
          {
            type: 'button',
            className: 'link-button',
            onclick: () => {
              this.input.value = code;
              this.input.dispatchEvent(new Event('input'));
              this.input.focus();
            },
          },
          `Use ${code}`,
          srOnly(` for ${who}`),
        ),
      ),
    );
    this.render();
  }

  get customerId(): number {
    return this.link.customerId;
  }

  get who(): string {
    return this.link.name || this.link.company || this.link.email || `customer ${this.link.customerId}`;
  }

  /** The code as it would be saved: trimmed and upper-cased, as the server normalises it. */
  value(): string {
    return this.input.value.trim().toUpperCase();
  }

  changed(): boolean {
    return this.value() !== (this.link.profileCode ?? '').trim().toUpperCase();
  }

  private render(): void {
    const { link } = this;
    replaceChildren(this.statusCell, linkBadge(link.status), link.problem ? h('p', { className: 'problem' }, link.problem) : null);
    replaceChildren(
      this.accountCell,
      link.account
        ? [h('span', { className: 'code' }, link.account.code), link.account.name ? ` ${link.account.name}` : '']
        : link.profileCode
          ? h('span', { className: 'code' }, link.profileCode)
          : '—',
    );
  }

  showResult(result: LinkRowResult): void {
    if (result.ok) {
      const { link } = result;
      this.link = {
        ...this.link,
        profileCode: link.code,
        status: link.code ? 'linked' : 'unlinked',
        problem: null,
        account: link.code ? { code: link.code, name: link.accountName, status: 'active' } : null,
      };
      this.input.value = link.code ?? '';
      // Once linked, the suggestions have served; after an unlink they are offered again.
      this.suggestions.hidden = link.code !== null || this.suggestions.childElementCount < 2;
      this.input.removeAttribute('aria-invalid');
      this.render();
      this.element.classList.remove('changed');
      replaceChildren(
        this.resultCell,
        h('span', { className: 'ok' }, link.code ? `Saved: linked to ${link.code}.` : 'Saved: link removed.'),
        link.heldOrderIds.length
          ? h(
              'span',
              {},
              ' Held orders that reprocessing now takes further: ',
              link.heldOrderIds.map((id, i) => [
                i ? ', ' : '',
                h('a', { href: addressOf('orders', { state: 'held', search: String(id) }) }, `#${id}`),
              ]),
            )
          : null,
        link.stillHeld.length
          ? h(
              'span',
              {},
              ' Still held whatever the link (assign their account on the order): ',
              link.stillHeld.map((held, i) => [
                i ? ', ' : '',
                h(
                  'a',
                  { href: addressOf('orders', { state: 'held', search: String(held.orderId) }), title: held.reason },
                  `#${held.orderId}`,
                ),
              ]),
            )
          : null,
      );
    } else {
      this.input.setAttribute('aria-invalid', 'true');
      replaceChildren(this.resultCell, h('span', { className: 'field-error' }, `Not saved: ${result.error.message}`));
    }
  }

  clearResult(): void {
    replaceChildren(this.resultCell);
  }
}

function filterForm(initial: Filters, counts: Record<LinkStatus, number> | undefined, onApply: (f: Filters) => void): HTMLFormElement {
  const count = (s: LinkStatus) => (counts ? ` (${counts[s]})` : '');
  const status = h(
    'select',
    { id: 'links-status', name: 'status' },
    h('option', { value: '' }, 'All customers'),
    (['unlinked', 'conflicting', 'linked'] as const).map((s) =>
      h('option', { value: s, selected: s === initial.status }, `${STATUS_TEXT[s]}${count(s)}`),
    ),
  );
  const search = h('input', { id: 'links-search', name: 'search', type: 'search', value: initial.search, spellcheck: false });
  const form = h(
    'form',
    { className: 'filters', role: 'search', 'aria-label': 'Filter customers' },
    h('div', { className: 'field' }, h('label', { for: 'links-status' }, 'Show'), status),
    h(
      'div',
      { className: 'field grow' },
      h('label', { for: 'links-search' }, 'Search'),
      search,
      h('span', { className: 'hint', id: 'links-search-hint' }, 'Part of the email, account code, surname or company'),
    ),
    h('div', { className: 'field actions' }, h('button', { type: 'submit', className: 'button' }, 'Apply filters')),
  );
  search.setAttribute('aria-describedby', 'links-search-hint');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onApply({ status: status.value as Filters['status'], search: search.value.trim(), page: 1 });
  });
  return form;
}

/**
 * Link customers (seed 003's "Link Customers and Suppliers" table): WooCommerce customers with
 * their Sage account, filterable linked / not linked / conflicting; type each code (or take an
 * email match) and save them all at once. Each code is written to the customer's WooCommerce
 * profile, so their next order takes rule PROFILE; each row shows its own result.
 */
async function renderLinkCustomers(ctx: ScreenContext): Promise<HTMLElement> {
  const filters = filtersFrom(ctx.params);
  const editable = ctx.session.can(LINK_ROUTE);
  const page = await api.get<CustomerLinkPage>(
    withQuery('/api/customers/links', {
      customerId: filters.customer,
      status: filters.status,
      search: filters.search,
      page: filters.page,
      pageSize: PAGE_SIZE,
    }),
  );
  const go = (next: Filters) =>
    goOrReload(ctx, 'customers', {
      status: next.status || undefined,
      search: next.search || undefined,
      page: next.page > 1 ? String(next.page) : undefined,
    });

  const rows = page.rows.map((link) => new LinkRow(link, editable));
  const status = h('p', { className: 'form-status', role: 'status' });
  const allowUnknown = h('input', { id: 'links-allow-unknown', type: 'checkbox', name: 'allowUnknown' });
  const saveButton = h('button', { type: 'submit', className: 'button' }, 'Save links');
  const confirmHost = h('div', { className: 'confirm-host', hidden: true });
  const first = (page.page - 1) * page.pageSize + 1;
  const last = first + page.rows.length - 1;
  const lastPage = Math.max(1, Math.ceil(page.total / page.pageSize));

  const form = h(
    'form',
    { className: 'link-form', novalidate: true, 'aria-label': 'Sage account codes' },
    h(
      'div',
      { className: 'table-wrap' },
      h(
        'table',
        { className: 'data-table links-table' },
        h('caption', { className: 'visually-hidden' }, 'WooCommerce customers and their Sage accounts'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Customer', 'Link', 'Sage account now', 'Sage account code', 'Result'].map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        h(
          'tbody',
          {},
          rows.length
            ? rows.map((r) => r.element)
            : h(
                'tr',
                {},
                h('td', { colSpan: 5, className: 'empty' }, 'No customers match. Customers appear here once the sync has read them.'),
              ),
        ),
      ),
    ),
    confirmHost,
    editable
      ? h(
          'div',
          { className: 'form-actions' },
          saveButton,
          h(
            'div',
            { className: 'field check' },
            allowUnknown,
            h(
              'label',
              { for: 'links-allow-unknown' },
              'Accept codes not in the Sage account list yet (created in Sage since the last import)',
            ),
          ),
          status,
        )
      : h('p', { className: 'notice' }, 'Your role can look at links but not change them.'),
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    let changed = rows.filter((r) => r.changed());
    for (const r of rows) if (!r.changed()) r.clearResult();
    status.textContent = '';
    if (changed.length === 0) {
      status.textContent = 'Nothing to save: no code was changed.';
      return;
    }
    saveButton.disabled = true;
    let linked = 0;
    let failed = 0;
    const accepted = new Set<number>();
    if (!allowUnknown.checked) {
      const warnings = await accountCodeWarnings(
        ctx.session,
        changed.map((r) => r.value()),
      );
      const doubtful = changed.filter((r) => warnings.has(r.value()));
      if (doubtful.length > 0) {
        const others = changed.length - doubtful.length;
        const choice = await askBeforeSaving(
          confirmHost,
          [
            h(
              'strong',
              {},
              doubtful.length === 1 ? 'Check this code before saving. ' : `Check these ${doubtful.length} codes before saving. `,
            ),
            h(
              'ul',
              {},
              doubtful.map((r) => h('li', {}, `${r.who}: ${warnings.get(r.value())}`)),
            ),
            'Orders linked to a code Sage does not have fail at import, unless the account has been created in Sage since the last export.',
          ],
          [
            { value: 'others', label: others > 0 ? `Save the other ${plural(others, 'link')} only` : 'Do not save', primary: true },
            { value: 'anyway', label: doubtful.length === 1 ? 'Link it anyway' : 'Link them anyway' },
          ],
        );
        if (choice === 'anyway') for (const r of doubtful) accepted.add(r.customerId);
        else {
          for (const r of doubtful)
            r.showResult({ customerId: r.customerId, ok: false, error: { code: 'NOT_SAVED', message: warnings.get(r.value())! } });
          failed += doubtful.length;
          changed = changed.filter((r) => !warnings.has(r.value()));
        }
      }
    }
    status.textContent = `Saving ${plural(changed.length, 'link')}…`;
    try {
      for (let i = 0; i < changed.length; i += ROWS_PER_REQUEST) {
        const chunk = changed.slice(i, i + ROWS_PER_REQUEST);
        const answer = await api.post<LinkAnswer>(LINK_ROUTE.path, {
          links: chunk.map((r) => ({
            customerId: r.customerId,
            code: r.value(),
            ...(allowUnknown.checked || accepted.has(r.customerId) ? { allowUnknown: true } : {}),
          })),
        });
        for (const result of answer.results) rows.find((r) => r.customerId === result.customerId)?.showResult(result);
        linked += answer.linked;
        failed += answer.failed;
      }
      status.textContent =
        failed === 0
          ? `Saved ${plural(linked, 'link')}.`
          : `${linked === 0 ? 'Nothing saved' : `Saved ${plural(linked, 'link')}`}; ${plural(failed, 'row')} could not be saved (marked in the table).`;
      ctx.announce(status.textContent);
      if (failed > 0) rows.find((r) => r.input.getAttribute('aria-invalid') === 'true')?.input.focus();
    } catch (err) {
      status.textContent = `Not saved: ${err instanceof ApiError ? err.message : String(err)}`;
    } finally {
      saveButton.disabled = false;
    }
  });

  const previous = h('button', { type: 'button', className: 'button secondary', disabled: page.page <= 1 }, '← Previous');
  const next = h('button', { type: 'button', className: 'button secondary', disabled: page.page >= lastPage }, 'Next →');
  previous.addEventListener('click', () => go({ ...filters, page: page.page - 1 }));
  next.addEventListener('click', () => go({ ...filters, page: page.page + 1 }));

  return h(
    'div',
    { className: 'screen link-customers' },
    h('h1', { tabindex: '-1' }, 'Link customers'),
    h(
      'p',
      { className: 'intro' },
      "Link each WooCommerce customer to their existing Sage account before their orders are exported, so Sage gets no duplicate account. Type the account reference (the A/C box in Sage's customer list) or take an email match, then save: the code is written to the customer's WooCommerce profile, and their orders use it from then on.",
    ),
    filterForm(filters, page.counts, go),
    filters.customer
      ? h(
          'p',
          { className: 'notice' },
          `Showing customer ${filters.customer} only. `,
          h('a', { href: addressOf('customers') }, 'Show all customers'),
        )
      : null,
    h(
      'p',
      { className: 'results-status', role: 'status' },
      page.total === 0
        ? 'No customers match.'
        : `${plural(page.total, 'customer')} ${page.total === 1 ? 'matches' : 'match'}. Showing ${first}–${last}.`,
    ),
    form,
    lastPage > 1
      ? h(
          'nav',
          { className: 'pager', 'aria-label': 'Pages of customers' },
          previous,
          h('span', {}, `Page ${page.page} of ${lastPage}`),
          next,
        )
      : null,
  );
}

export const linkCustomersScreen: Screen = {
  id: 'customers',
  title: 'Link customers',
  needs: { method: 'get', path: '/api/customers/links' },
  render: renderLinkCustomers,
};
