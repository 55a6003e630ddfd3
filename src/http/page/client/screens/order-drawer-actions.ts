import { api, ApiError } from '../api.ts';
import { h, replaceChildren, uid } from '../dom.ts';
import { plural } from '../format.ts';
import type { Session } from '../session.ts';
import type { OrderSummary } from '../types.ts';

const CANCEL_ROUTE = { method: 'post', path: '/api/orders/{id}/cancel' } as const;
const ACKNOWLEDGE_ROUTE = { method: 'post', path: '/api/orders/{id}/acknowledge-change' } as const;
const ASSIGN_ROUTE = { method: 'post', path: '/api/orders/{id}/assign' } as const;

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

interface AssignAnswer {
  accountCode: string;
  rememberedEmail: string | null;
  result: { outcome: string; reason: string; to: string | null };
}

/**
 * "Assign account…": a person gives the order its Sage account (rule MANUAL), optionally for later
 * orders from the same billing email too; the server processes the order at once.
 */
function assignAction(order: OrderSummary, ctx: ActionContext, result: HTMLElement): HTMLElement {
  const codeId = uid('assign-code');
  const reasonId = uid('assign-reason');
  const rememberId = uid('assign-remember');
  const code = h('input', { id: codeId, name: 'code', maxLength: 64, autocomplete: 'off', spellcheck: false, required: true });
  const reason = h('input', { id: reasonId, name: 'reason', maxLength: 500, autocomplete: 'off' });
  const remember = h('input', { id: rememberId, name: 'rememberEmail', type: 'checkbox' });
  const opener = h('button', { type: 'button', className: 'button secondary', 'aria-expanded': 'false' }, 'Assign account…');
  const submit = h('button', { type: 'submit', className: 'button' }, `Assign to order ${order.id}`);
  const error = h('p', { className: 'field-error', role: 'alert' });
  const form = h(
    'form',
    { className: 'drawer-confirm assign-form', hidden: true, novalidate: true },
    h(
      'div',
      { className: 'field' },
      h('label', { for: codeId }, 'Sage account code'),
      h('span', { className: 'hint' }, 'An account in the Sage accounts list, e.g. SILVA01.'),
      code,
    ),
    h(
      'div',
      { className: 'field' },
      h('label', { for: reasonId }, 'Reason'),
      h('span', { className: 'hint' }, 'Kept in the decision, the history and the audit log.'),
      reason,
    ),
    order.billingEmail
      ? h(
          'div',
          { className: 'field check' },
          remember,
          h('label', { for: rememberId }, `Also use it for later orders from ${order.billingEmail}`),
        )
      : null,
    error,
    h(
      'div',
      { className: 'drawer-actions' },
      submit,
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
        'Not now',
      ),
    ),
  );
  opener.addEventListener('click', () => {
    form.hidden = false;
    opener.setAttribute('aria-expanded', 'true');
    code.focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    const chosen = code.value.trim();
    if (!chosen) {
      error.textContent = 'Enter the Sage account code.';
      code.focus();
      return;
    }
    submit.disabled = true;
    try {
      const body: Record<string, unknown> = { code: chosen };
      if (reason.value.trim()) body.reason = reason.value.trim();
      if (remember.checked) body.rememberEmail = true;
      const answer = await api.post<AssignAnswer>(`/api/orders/${order.id}/assign`, body);
      const what =
        answer.result.outcome === 'queued'
          ? 'queued for Sage'
          : answer.result.outcome === 'waiting'
            ? `waiting: ${answer.result.reason.replace(/^waiting: /, '')}`
            : `${answer.result.outcome}: ${answer.result.reason}`;
      await ctx.refresh();
      result.textContent = `Account ${answer.accountCode} assigned to order ${order.id}; ${what}.${answer.rememberedEmail ? ` Later orders from ${answer.rememberedEmail} get it too.` : ''}`;
    } catch (err) {
      error.textContent = `Not assigned: ${err instanceof ApiError ? err.message : String(err)}`;
      submit.disabled = false;
      code.focus();
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
  if (!SENT.includes(order.state) && ctx.session.can(ASSIGN_ROUTE)) actions.push(assignAction(order, ctx, result));
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
