import { api, ApiError } from '../api.ts';
import { openDrawer } from '../components/drawer.ts';
import { orderStateBadge } from '../components/state-badge.ts';
import { h, replaceChildren } from '../dom.ts';
import { dateTime, money } from '../format.ts';
import { addressOf } from '../screen.ts';
import type { Session } from '../session.ts';
import type { OrderDetail } from '../types.ts';
import { availableActions } from './bulk-actions.ts';
import { actionResult, orderDrawerActions } from './order-drawer-actions.ts';

interface Decision {
  rule?: unknown;
  accountCode?: unknown;
  reason?: unknown;
  trace?: unknown;
}

/** One trace step: a sentence, or an object such as {rule, outcome, detail}. */
function traceStep(step: unknown): Node {
  if (typeof step !== 'object' || step === null) return document.createTextNode(String(step));
  const entries = Object.entries(step as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined && v !== '');
  const [first, ...rest] = entries;
  if (!first) return document.createTextNode('');
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return h('span', {}, h('strong', {}, text(first[1])), rest.length ? `: ${rest.map(([, v]) => text(v)).join(' — ')}` : '');
}

function whySection(detail: OrderDetail): HTMLElement {
  const o = detail.order;
  const decision = (detail.decision ?? null) as Decision | null;
  const items: Node[] = [];
  if (o.lastError) items.push(h('p', { className: 'problem' }, h('strong', {}, 'Problem: '), o.lastError));
  if (o.statusNotExported)
    items.push(
      h(
        'p',
        { className: 'problem' },
        h('strong', {}, 'Not exported: '),
        `${o.waitingReason ?? `status "${o.status}" is not exported`}; it goes to Sage only if its WooCommerce status changes to one of them.`,
      ),
    );
  else if (o.waitingReason) items.push(h('p', {}, h('strong', {}, 'Waiting: '), o.waitingReason));
  if (o.changedAfterExport)
    items.push(
      h(
        'p',
        { className: 'problem' },
        h('strong', {}, 'Changed after export: '),
        o.changeSummary ?? 'the order changed in WooCommerce after Sage received it.',
        ' Decide in Sage what to do with the exported document.',
      ),
    );
  if (decision && typeof decision === 'object') {
    const rule = typeof decision.rule === 'string' ? decision.rule : o.rule;
    const code = typeof decision.accountCode === 'string' ? decision.accountCode : o.accountCode;
    items.push(h('p', {}, h('strong', {}, 'Decision: '), rule ? `rule ${rule}` : 'no rule', code ? ` → account ${code}` : ' → no account'));
    // A held order's reason is usually its problem, already shown above.
    if (typeof decision.reason === 'string' && decision.reason !== o.lastError)
      items.push(h('p', { className: 'reason' }, decision.reason));
    if (Array.isArray(decision.trace) && decision.trace.length > 0) {
      items.push(
        h('h4', {}, 'How the rules were applied'),
        h(
          'ol',
          { className: 'trace' },
          decision.trace.map((step) => h('li', {}, traceStep(step))),
        ),
      );
    }
  } else if (!o.lastError && !o.waitingReason) {
    items.push(h('p', {}, 'No account has been chosen yet.'));
  }
  return h('section', { 'aria-labelledby': 'why-title' }, h('h3', { id: 'why-title' }, 'Why'), ...items);
}

const LINKS_ROUTE = { method: 'get', path: '/api/customers/links' } as const;

/** A logged-in buyer can be linked to a Sage account: the way out of most holds. */
function buyer(o: OrderDetail['order'], session: Session): Node | string {
  if (o.customerId <= 0) return 'guest';
  const text = `customer ${o.customerId} (logged in)`;
  if (!session.can(LINKS_ROUTE)) return text;
  return h(
    'span',
    {},
    `${text} — `,
    h('a', { href: addressOf('customers', { customer: String(o.customerId) }) }, 'Link this customer to a Sage account'),
  );
}

function facts(detail: OrderDetail, session: Session): HTMLElement {
  const o = detail.order;
  const rows: Array<[string, Node | string]> = [
    ['State', h('span', {}, orderStateBadge(o), ` since ${dateTime(o.stateChangedAt)}`)],
    ['WooCommerce status', o.status],
    ['Total', money(o.totalMinor, o.currency)],
    ['Buyer', buyer(o, session)],
    ['Billing name', o.billingName ?? '—'],
    ['Billing email', o.billingEmail ?? '—'],
    ['Sage account', o.accountCode ? `${o.accountCode}${o.rule ? ` (rule ${o.rule})` : ''}` : '—'],
    ['Last modified in WooCommerce', dateTime(o.dateModified)],
  ];
  return h(
    'dl',
    { className: 'facts' },
    rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
  );
}

function history(detail: OrderDetail): HTMLElement {
  return h(
    'section',
    { 'aria-labelledby': 'history-title-d' },
    h('h3', { id: 'history-title-d' }, 'History'),
    detail.events.length === 0
      ? h('p', { className: 'empty' }, 'No state changes recorded.')
      : h(
          'div',
          { className: 'table-wrap' },
          h(
            'table',
            { className: 'data-table compact' },
            h('caption', { className: 'visually-hidden' }, 'State changes, oldest first'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['When', 'Change', 'Why', 'By'].map((t) => h('th', { scope: 'col' }, t)),
              ),
            ),
            h(
              'tbody',
              {},
              detail.events.map((e) =>
                h(
                  'tr',
                  {},
                  h('td', { className: 'nowrap' }, dateTime(e.at)),
                  h('td', { className: 'nowrap' }, `${e.from ?? 'new'} → ${e.to}`),
                  h('td', {}, e.reason ?? ''),
                  h('td', {}, e.actor),
                ),
              ),
            ),
          ),
        ),
  );
}

function documents(detail: OrderDetail): HTMLElement {
  return h(
    'section',
    { 'aria-labelledby': 'documents-title' },
    h('h3', { id: 'documents-title' }, 'Documents for Sage'),
    detail.documents.length === 0
      ? h('p', { className: 'empty' }, 'No documents queued for this order.')
      : h(
          'div',
          { className: 'table-wrap' },
          h(
            'table',
            { className: 'data-table compact' },
            h('caption', { className: 'visually-hidden' }, 'Documents queued for this order'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Document', 'State', 'Batch', 'Attempts', 'Last error'].map((t) => h('th', { scope: 'col' }, t)),
              ),
            ),
            h(
              'tbody',
              {},
              detail.documents.map((d) =>
                h(
                  'tr',
                  {},
                  h('td', {}, d.kind.replace(/_/g, ' '), d.accountCode ? ` (${d.accountCode})` : ''),
                  h('td', {}, d.state, d.deliveredAt ? `, ${dateTime(d.deliveredAt)}` : ''),
                  h('td', {}, d.batchName ?? 'not yet in a batch'),
                  h('td', { className: 'num' }, d.attempts),
                  h('td', {}, d.lastError ?? ''),
                ),
              ),
            ),
          ),
        ),
  );
}

/** Opens the drawer explaining one order: why it is where it is, its history and its documents. */
export function showOrder(orderId: number, ctx: { session: Session; announce(message: string): void; reload(): Promise<void> }): void {
  const drawer = openDrawer({ title: `Order ${orderId}`, closeLabel: `Close order ${orderId}` });
  replaceChildren(drawer.body, h('p', { role: 'status' }, 'Loading…'));
  const result = actionResult();

  /** Loads the order and fills the panel; after an action, again in place (focus stays in the panel). */
  async function load(): Promise<boolean> {
    let detail: OrderDetail;
    try {
      detail = await api.get<OrderDetail>(`/api/orders/${orderId}`);
    } catch (err) {
      replaceChildren(drawer.body, h('p', { role: 'alert' }, err instanceof ApiError ? err.message : String(err)));
      return false;
    }
    const refresh = async () => {
      await ctx.reload();
      if (await load()) drawer.body.querySelector<HTMLElement>('.drawer-actions button, .drawer-action button')?.focus();
    };
    const bulk = availableActions(ctx.session, { forOne: true }).map((action) =>
      h(
        'button',
        {
          type: 'button',
          className: 'button',
          async onclick() {
            try {
              result.textContent = await action.run([detail.order], { reload: refresh });
            } catch (err) {
              result.textContent = err instanceof Error ? err.message : String(err);
            }
          },
        },
        action.label,
      ),
    );
    const more = orderDrawerActions(detail.order, { session: ctx.session, refresh }, result);
    replaceChildren(
      drawer.body,
      whySection(detail),
      facts(detail, ctx.session),
      bulk.length || more.length ? h('div', { className: 'drawer-actions' }, bulk, more, result) : null,
      history(detail),
      documents(detail),
    );
    return true;
  }

  void load().then((ok) => ok && ctx.announce(`Order ${orderId} details loaded.`));
}
