import { booksCsv, booksDetailsCsv } from '../../../../domain/books/books-csv.ts';
import {
  NOT_IN_SAGE_PARTS,
  type BooksDay,
  type BooksDetail,
  type BooksLedger,
  type NotInSagePart,
} from '../../../../domain/books/types.ts';
import { api, withQuery } from '../api.ts';
import { booksChart } from '../components/books-chart.ts';
import { h, replaceChildren } from '../dom.ts';
import { money, plural, shortDay } from '../format.ts';
import { addressOf, goOrReload, type Screen, type ScreenContext } from '../screen.ts';

const PART_TEXT: Record<NotInSagePart | 'difference' | 'refundsFlagged', string> = {
  held: 'Held',
  waiting: 'Waiting',
  queued: 'Queued',
  failed: 'Failed',
  statusNotExported: 'Status not exported',
  cancelled: 'Cancelled',
  difference: 'Difference',
  refundsFlagged: 'Refund to credit',
};

const notInSage = (d: BooksDay) => NOT_IN_SAGE_PARTS.reduce((s, p) => s + d.notInSage[p], 0);

/** The last 31 days to today (UTC), when the address names no period. */
function defaultPeriod(): { from: string; to: string } {
  const today = new Date();
  return { from: new Date(today.getTime() - 30 * 86_400_000).toISOString().slice(0, 10), to: today.toISOString().slice(0, 10) };
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = h('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function periodForm(from: string, to: string, onApply: (from: string, to: string) => void): HTMLFormElement {
  const fromInput = h('input', { id: 'books-from', type: 'date', value: from, required: true });
  const toInput = h('input', { id: 'books-to', type: 'date', value: to, required: true });
  return h(
    'form',
    {
      className: 'filters',
      'aria-label': 'Period',
      onsubmit: (e: Event) => {
        e.preventDefault();
        onApply(fromInput.value, toInput.value);
      },
    },
    h('div', { className: 'field' }, h('label', { for: 'books-from' }, 'From'), fromInput),
    h('div', { className: 'field' }, h('label', { for: 'books-to' }, 'To'), toInput),
    h('div', { className: 'field actions' }, h('button', { type: 'submit', className: 'button' }, 'Show period')),
  );
}

/** The orders behind a day's amounts: why each is not in Sage (or differs), and what to do. */
function detailsTable(details: BooksDetail[], currency: string | null, date: string): HTMLElement {
  if (details.length === 0) return h('p', { className: 'empty' }, `Every order of ${shortDay(date)} is in Sage, to the penny.`);
  return h(
    'div',
    { className: 'table-wrap' },
    h(
      'table',
      { className: 'data-table compact' },
      h('caption', { className: 'visually-hidden' }, `Orders behind the amounts of ${date}`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Order', 'Part', 'Amount', 'State', 'Why', 'Action', 'How'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        details.map((d) =>
          h(
            'tr',
            { 'data-order': d.orderId },
            h('td', {}, h('a', { href: addressOf('orders', { search: String(d.orderId) }) }, `#${d.number ?? d.orderId}`)),
            h('td', {}, PART_TEXT[d.part]),
            h('td', { className: 'num' }, money(d.amountMinor, currency)),
            h('td', {}, d.state),
            h('td', { className: 'problem-cell' }, d.reason),
            h('td', {}, h('span', { className: `books-action action-${d.action}` }, d.action)),
            h('td', {}, h('code', {}, d.howTo)),
          ),
        ),
      ),
    ),
  );
}

async function renderBooks(ctx: ScreenContext): Promise<HTMLElement> {
  const fallback = defaultPeriod();
  const from = ctx.params.get('from') || fallback.from;
  const to = ctx.params.get('to') || fallback.to;
  const books = await api.get<BooksLedger>(withQuery('/api/books', { from, to }));
  const cur = books.currency;
  const drill = h('section', { className: 'panel books-drill', 'aria-labelledby': 'books-drill-title', hidden: true });

  async function showDay(date: string, focusPart?: BooksDetail['part']): Promise<void> {
    drill.hidden = false;
    replaceChildren(
      drill,
      h('h2', { id: 'books-drill-title', tabindex: '-1' }, `Orders of ${shortDay(date)}`),
      h('p', { className: 'loading', role: 'status' }, 'Loading…'),
    );
    const day = await api.get<BooksLedger>(withQuery('/api/books', { from: date, to: date, currency: cur ?? undefined, details: true }));
    const details = (day.details ?? []).filter((d) => !focusPart || d.part === focusPart);
    replaceChildren(
      drill,
      h('h2', { id: 'books-drill-title', tabindex: '-1' }, `${focusPart ? `${PART_TEXT[focusPart]}: ` : ''}orders of ${shortDay(date)}`),
      h('p', {}, `${plural(details.length, 'order')} not in Sage, differing from it, or with a refund to credit.`),
      detailsTable(details, cur, date),
      details.length
        ? h(
            'button',
            {
              type: 'button',
              className: 'button secondary',
              onclick: () => download(`books-${date}-orders.csv`, booksDetailsCsv(details, cur)),
            },
            'Download these orders as CSV',
          )
        : null,
    );
    drill.querySelector<HTMLElement>('h2')?.focus();
    ctx.announce(`${plural(details.length, 'order')} of ${shortDay(date)} shown`);
  }

  const cell = (d: BooksDay, amount: number, part: BooksDetail['part'] | undefined, label: string) =>
    amount !== 0 && d.date
      ? h(
          'td',
          { className: `num${part === 'difference' ? ' difference' : ''}` },
          h(
            'button',
            {
              type: 'button',
              className: 'link-button',
              'aria-label': `${label} on ${d.date}: ${money(amount, cur)}; show the orders`,
              onclick: () => void showDay(d.date!, part),
            },
            money(amount, cur),
          ),
        )
      : h(
          'td',
          { className: `num${part === 'difference' && amount !== 0 ? ' difference' : ''}` },
          amount === 0 && part === 'difference' ? '0' : money(amount, cur),
        );

  const row = (d: BooksDay, label: string) =>
    h(
      'tr',
      { className: d.differenceMinor !== 0 ? 'differs' : '' },
      h(
        'th',
        { scope: 'row' },
        d.date ? h('button', { type: 'button', className: 'link-button', onclick: () => void showDay(d.date!) }, label) : label,
      ),
      h('td', { className: 'num' }, d.orders),
      h('td', { className: 'num' }, money(d.wooGrossMinor, cur)),
      h('td', { className: 'num' }, money(d.sageGrossMinor, cur)),
      d.date ? cell(d, notInSage(d), undefined, 'Not in Sage') : h('td', { className: 'num' }, money(notInSage(d), cur)),
      cell(d, d.differenceMinor, 'difference', 'Difference'),
      h('td', { className: 'num' }, money(d.refundsMinor, cur)),
      h('td', { className: 'num' }, money(d.creditedMinor, cur)),
      d.date
        ? cell(d, d.refundsFlaggedMinor, 'refundsFlagged', 'Refunds to credit')
        : h('td', { className: 'num' }, money(d.refundsFlaggedMinor, cur)),
    );

  const days = books.days.filter((d) => d.orders > 0 || books.days.length <= 62);
  const off = books.days.filter((d) => d.differenceMinor !== 0);
  const codes = Object.keys(books.totals.vatByTaxCode).sort((a, b) => Number(a) - Number(b));
  return h(
    'div',
    { className: 'screen books' },
    h('h1', { tabindex: '-1' }, 'Books'),
    h(
      'p',
      { className: 'hint' },
      "The shop's orders against what Sage has, per day the order was placed (the shop's local day). From stored data only.",
    ),
    periodForm(from, to, (f, t) => goOrReload(ctx, 'books', { from: f, to: t })),
    h(
      'p',
      { className: `books-verdict ${books.balanced ? 'balanced' : 'differs'}`, role: 'status' },
      books.balanced
        ? `Balanced: every penny of ${money(books.totals.wooGrossMinor, cur)} is in Sage or accounted for.`
        : `Not balanced: a difference of ${money(books.totals.differenceMinor, cur)} on ${plural(off.length, 'day')}. Click a day to see its orders.`,
    ),
    books.otherCurrencies.length
      ? h(
          'p',
          { className: 'notice' },
          `Also in this period: ${books.otherCurrencies.map((c) => `${plural(c.orders, 'order')} in ${c.currency}`).join(', ')} (not in these books).`,
        )
      : null,
    h(
      'section',
      { className: 'panel', 'aria-labelledby': 'books-chart-heading' },
      h('h2', { id: 'books-chart-heading' }, 'Shop and Sage per day'),
      booksChart(books.days, cur, (date) => void showDay(date)),
    ),
    h(
      'div',
      { className: 'toolbar' },
      h(
        'button',
        { type: 'button', className: 'button secondary', onclick: () => download(`books-${from}-${to}.csv`, booksCsv(books)) },
        'Download CSV',
      ),
    ),
    h(
      'div',
      { className: 'table-wrap' },
      h(
        'table',
        { className: 'data-table compact books-table' },
        h('caption', {}, `Books ${from} to ${to}${cur ? ` (${cur})` : ''}`),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Day', 'Orders', 'Shop', 'Sage', 'Not in Sage', 'Difference', 'Refunds', 'Credited', 'To credit'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          days.map((d) => row(d, shortDay(d.date!))),
        ),
        h('tfoot', {}, row(books.totals, 'Total')),
      ),
    ),
    drill,
    h(
      'section',
      { className: 'panel', 'aria-labelledby': 'books-vat-heading' },
      h('h2', { id: 'books-vat-heading' }, 'VAT by Sage tax code (sales orders delivered)'),
      codes.length
        ? h(
            'table',
            { className: 'data-table compact' },
            h('caption', { className: 'visually-hidden' }, 'VAT by Sage tax code'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Tax code', 'Net', 'VAT'].map((t) => h('th', { scope: 'col' }, t)),
              ),
            ),
            h(
              'tbody',
              {},
              codes.map((c) =>
                h(
                  'tr',
                  {},
                  h('th', { scope: 'row' }, `T${c}`),
                  h('td', { className: 'num' }, money(books.totals.vatByTaxCode[c]!.netMinor, cur)),
                  h('td', { className: 'num' }, money(books.totals.vatByTaxCode[c]!.vatMinor, cur)),
                ),
              ),
            ),
          )
        : h('p', { className: 'empty' }, 'No sales order of this period has been delivered.'),
    ),
  );
}

export const booksScreen: Screen = {
  id: 'books',
  title: 'Books',
  needs: { method: 'get', path: '/api/books' },
  render: renderBooks,
};
