import { api, ApiError } from '../api.ts';
import { h, replaceChildren, uid } from '../dom.ts';
import { plural } from '../format.ts';
import type { Session } from '../session.ts';
import type { OrderSummary } from '../types.ts';

const CANCEL_ROUTE = { method: 'post', path: '/api/orders/{id}/cancel' } as const;
const ACKNOWLEDGE_ROUTE = { method: 'post', path: '/api/orders/{id}/acknowledge-change' } as const;

/** States from which Sage has (or is getting) the sales order: cancelling is then done in Sage. */
const SENT = ['delivered', 'imported', 'cancelled'];

interface ActionContext {
  session: Session;
  /** Reloads the table behind the drawer and the drawer itself, after the order changed. */
  refresh(): Promise<void>;
}

/**
 * An action that needs a few words from the person before it is done: a button opens a small
 * form (the words, a confirm button, a way back); the answer is shown in `result`.
 */
function confirmable(options: {
  open: string;
  field: string;
  hint: string;
  confirm: string;
  keep: string;
  result: HTMLElement;
  submit(text: string): Promise<string>;
}): HTMLElement {
  const fieldId = uid('action-text');
  const input = h('input', { id: fieldId, name: 'text', maxLength: 500, autocomplete: 'off' });
  const opener = h('button', { type: 'button', className: 'button secondary', 'aria-expanded': 'false' }, options.open);
  const confirm = h('button', { type: 'submit', className: 'button' }, options.confirm);
  const form = h(
    'form',
    { className: 'drawer-confirm', hidden: true },
    h('div', { className: 'field' }, h('label', { for: fieldId }, options.field), h('span', { className: 'hint' }, options.hint), input),
    h(
      'div',
      { className: 'drawer-actions' },
      confirm,
      h(
        'button',
        {
          type: 'button',
          className: 'button secondary',
          onclick: () => {
            form.hidden = true;
            opener.setAttribute('aria-expanded', 'false');
            opener.focus();
          },
        },
        options.keep,
      ),
    ),
  );
  opener.addEventListener('click', () => {
    form.hidden = false;
    opener.setAttribute('aria-expanded', 'true');
    input.focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    confirm.disabled = true;
    try {
      options.result.textContent = await options.submit(input.value.trim());
    } catch (err) {
      options.result.textContent = `Not done: ${err instanceof ApiError ? err.message : String(err)}`;
      confirm.disabled = false;
    }
  });
  return h('div', { className: 'drawer-action' }, opener, form);
}

/**
 * What a person can do to one order beyond reprocessing (which is a bulk action): cancel it while
 * Sage does not have it yet, and mark its changes after export as dealt with in Sage. Each shows
 * only when the server offers its route to this role and the order is in a state it applies to.
 */
export function orderDrawerActions(order: OrderSummary, ctx: ActionContext, result: HTMLElement): HTMLElement[] {
  const actions: HTMLElement[] = [];
  if (order.changedAfterExport && ctx.session.can(ACKNOWLEDGE_ROUTE)) {
    actions.push(
      confirmable({
        open: 'Mark changes as dealt with…',
        field: 'What was done in Sage',
        hint: 'Kept in the order’s history, e.g. "credit note CN104 raised".',
        confirm: 'Mark as dealt with',
        keep: 'Not yet',
        result,
        async submit(note) {
          const answer = await api.post<{ acknowledged: unknown[] }>(`/api/orders/${order.id}/acknowledge-change`, note ? { note } : {});
          await ctx.refresh();
          return `${plural(answer.acknowledged.length, 'change')} of order ${order.id} marked as dealt with.`;
        },
      }),
    );
  }
  if (!SENT.includes(order.state) && ctx.session.can(CANCEL_ROUTE)) {
    actions.push(
      confirmable({
        open: 'Cancel order…',
        field: 'Why cancel it',
        hint: 'Kept in the history and the audit log. Its documents not yet delivered leave the queue.',
        confirm: `Cancel order ${order.id}`,
        keep: 'Keep the order',
        result,
        async submit(reason) {
          const answer = await api.post<{ status: string; cancelledJobs: number[] }>(
            `/api/orders/${order.id}/cancel`,
            reason ? { reason } : {},
          );
          await ctx.refresh();
          return answer.status === 'cancelled'
            ? `Order ${order.id} cancelled; ${plural(answer.cancelledJobs.length, 'document')} taken out of the queue.`
            : `Order ${order.id} was already cancelled.`;
        },
      }),
    );
  }
  return actions;
}

/** The drawer's result line, kept across a refresh so the person sees what their action did. */
export function actionResult(text = ''): HTMLElement {
  const result = h('p', { className: 'form-status', role: 'status' });
  replaceChildren(result, text);
  return result;
}
