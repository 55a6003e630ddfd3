import { api, ApiError, withQuery } from '../api.ts';
import { h, replaceChildren, srOnly } from '../dom.ts';
import { dateTime, plural } from '../format.ts';
import type { Screen, ScreenContext } from '../screen.ts';
import type { BatchList, BatchState, ExportBatch } from '../types.ts';

const PAGE_SIZE = 50;
const ACK_ROUTE = { method: 'post', path: '/api/batches/{id}/acknowledge' } as const;

const STATE_TEXT: Record<BatchState, string> = {
  open: 'Being written',
  staged: 'Being written',
  written: 'In the outbox folder',
  offered: 'Fetched, not yet acknowledged',
  acknowledged: 'Fetched and acknowledged',
  expired: 'Fetched, not acknowledged in time: documents sent again',
};

function contents(b: ExportBatch): string {
  const parts = [b.customers ? plural(b.customers, 'customer') : null, b.salesOrders ? plural(b.salesOrders, 'sales order') : null];
  const text = parts.filter(Boolean).join(', ');
  return text || plural(b.documents, 'document');
}

function downloads(b: ExportBatch): HTMLElement {
  const href = (file?: string) => withQuery(`/api/batches/${b.id}/download`, { file });
  if (b.customers + b.salesOrders === 0) return h('span', { className: 'hint' }, 'Nothing left in it (reprocessed)');
  const files = b.files.length > 1 ? b.files : [];
  return h(
    'ul',
    { className: 'link-list' },
    h('li', {}, h('a', { href: href(), download: `${b.name}.xml` }, 'Download', srOnly(` batch ${b.name}`), ' (one file)')),
    files.map((f) =>
      h(
        'li',
        {},
        h('a', { href: href(f), download: f, className: 'file-link' }, f.replace(`${b.name}-`, '')),
        srOnly(` of batch ${b.name}`),
      ),
    ),
  );
}

/** Export batches: what was handed to the importer, when, and the files themselves to download. */
async function renderBatches(ctx: ScreenContext): Promise<HTMLElement> {
  let cursors: Array<number | undefined> = [undefined];
  let channel = ctx.params.get('channel') ?? '';
  const resultsStatus = h('p', { className: 'results-status', role: 'status' });
  const actionStatus = h('p', { className: 'form-status', role: 'status' });
  const tbody = h('tbody');
  const newer = h('button', { type: 'button', className: 'button secondary' }, '← Newer');
  const older = h('button', { type: 'button', className: 'button secondary' }, 'Older →');
  let list: BatchList = { batches: [], total: 0, nextBefore: null };

  async function acknowledge(b: ExportBatch): Promise<void> {
    actionStatus.textContent = `Acknowledging ${b.name}…`;
    try {
      const answer = await api.post<{ status: string; documents: number }>(`/api/batches/${b.id}/acknowledge`);
      await load();
      actionStatus.textContent =
        answer.status === 'acknowledged'
          ? `Batch ${b.name} acknowledged: ${plural(answer.documents, 'document')} marked delivered.`
          : `Batch ${b.name} was already acknowledged.`;
    } catch (err) {
      actionStatus.textContent = `Not acknowledged: ${err instanceof ApiError ? err.message : String(err)}`;
    }
  }

  function row(b: ExportBatch): HTMLTableRowElement {
    // A fetched batch counts as delivered only once acknowledged; until then it shows when it was offered.
    const when = b.deliveredAt;
    const canAck = b.channel === 'pull' && b.state === 'offered' && ctx.session.can(ACK_ROUTE);
    return h(
      'tr',
      {},
      h('th', { scope: 'row', className: 'code' }, b.name),
      h('td', {}, b.channel === 'folder' ? 'Outbox folder' : 'Fetched (HTTP)'),
      h(
        'td',
        {},
        STATE_TEXT[b.state],
        b.state === 'offered' && b.offerExpiresAt
          ? h('span', { className: 'hint' }, ` (offered again after ${dateTime(b.offerExpiresAt)})`)
          : null,
        b.lastError ? h('p', { className: 'problem' }, b.lastError) : null,
      ),
      h('td', {}, contents(b)),
      h('td', { className: 'nowrap' }, dateTime(b.createdAt)),
      h('td', { className: 'nowrap' }, when ? dateTime(when) : b.offeredAt ? `not yet (offered ${dateTime(b.offeredAt)})` : '—'),
      h('td', {}, downloads(b)),
      h(
        'td',
        {},
        canAck
          ? h(
              'button',
              { type: 'button', className: 'button secondary', onclick: () => void acknowledge(b) },
              'Acknowledge',
              srOnly(` batch ${b.name}`),
            )
          : null,
      ),
    );
  }

  async function load(): Promise<void> {
    resultsStatus.textContent = 'Loading…';
    const before = cursors[cursors.length - 1];
    list = await api.get<BatchList>(withQuery('/api/batches', { channel, limit: PAGE_SIZE, before }));
    replaceChildren(
      tbody,
      list.batches.length
        ? list.batches.map(row)
        : h('tr', {}, h('td', { colSpan: 8, className: 'empty' }, 'No batches yet: documents are batched when they are delivered.')),
    );
    const first = (cursors.length - 1) * PAGE_SIZE + 1;
    resultsStatus.textContent =
      list.total === 0
        ? 'No batches.'
        : `${plural(list.total, 'batch', 'batches')}. Showing ${first}–${first + list.batches.length - 1}, newest first.`;
    newer.disabled = cursors.length === 1;
    older.disabled = list.nextBefore === null;
  }
  const loadOrSay = () =>
    load().catch((err: unknown) => {
      resultsStatus.textContent = `Could not load batches: ${err instanceof Error ? err.message : String(err)}`;
    });
  newer.addEventListener('click', () => {
    cursors = cursors.slice(0, -1);
    void loadOrSay();
  });
  older.addEventListener('click', () => {
    if (list.nextBefore === null) return;
    cursors = [...cursors, list.nextBefore];
    void loadOrSay();
  });

  const channelSelect = h(
    'select',
    { id: 'batches-channel', name: 'channel' },
    h('option', { value: '' }, 'Folder and fetched'),
    h('option', { value: 'folder', selected: channel === 'folder' }, 'Outbox folder'),
    h('option', { value: 'pull', selected: channel === 'pull' }, 'Fetched (HTTP)'),
  );
  const filters = h(
    'form',
    { className: 'filters', role: 'search', 'aria-label': 'Filter batches' },
    h('div', { className: 'field' }, h('label', { for: 'batches-channel' }, 'Delivery'), channelSelect),
    h('div', { className: 'field actions' }, h('button', { type: 'submit', className: 'button' }, 'Apply filters')),
  );
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    channel = channelSelect.value;
    cursors = [undefined];
    ctx.go('batches', { channel: channel || undefined }, { replace: true });
    void loadOrSay();
  });

  await load();
  return h(
    'div',
    { className: 'screen batches' },
    h('h1', { tabindex: '-1' }, 'Export batches'),
    h(
      'p',
      { className: 'intro' },
      'Each batch is a set of Sage documents handed to the importer: written to the outbox folder (customers first, then sales orders), or fetched over HTTP. Download a batch to see exactly what Sage was sent, or to import it by hand; then acknowledge a fetched batch so it is not offered again.',
    ),
    filters,
    resultsStatus,
    actionStatus,
    h(
      'div',
      { className: 'table-wrap' },
      h(
        'table',
        { className: 'data-table batches-table' },
        h('caption', { className: 'visually-hidden' }, 'Export batches, newest first'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Batch', 'Delivery', 'State', 'Documents', 'Created', 'Delivered', 'Files', 'Actions'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        tbody,
      ),
    ),
    h('nav', { className: 'pager', 'aria-label': 'Pages of batches' }, newer, older),
  );
}

export const batchesScreen: Screen = {
  id: 'batches',
  title: 'Export batches',
  needs: { method: 'get', path: '/api/batches' },
  render: renderBatches,
};
