import { api, ApiError } from '../api.ts';
import { h, replaceChildren } from '../dom.ts';
import type { RouteKey, Session } from '../session.ts';

/**
 * "What would happen to order N with these settings": answered by `plan` on the server
 * (src/http/routes/plan.ts). A role that may not call the route does not see the panel.
 *
 * Contract of the route: body `{ orderId: number, settings: <the settings as drafted in the form> }`;
 * answer: one element of `woo-sage plan --json`'s output, `{ orderId, rule, accountCode, reason }`, plus the
 * trace and a note.
 */
export const PREVIEW_ROUTE: RouteKey = { method: 'post', path: '/api/plan/preview' };

interface PlanAnswer {
  orderId: number;
  rule: string;
  accountCode: string | null;
  reason: string;
  /** How each rule was applied; servers before the trace was added leave it out. */
  trace?: Array<{ step: string; result: string; detail: string }>;
  /** What the preview means for this order (already exported, held until reprocessed…). */
  note?: string | null;
}

export function previewPanel(session: Session, draft: () => Record<string, unknown> | undefined): HTMLElement | null {
  if (!session.can(PREVIEW_ROUTE)) return null;
  const input = h('input', { id: 'preview-order', name: 'orderId', inputMode: 'numeric', pattern: '[0-9]+', required: true });
  const result = h('div', { className: 'preview-result', 'aria-live': 'polite' });
  const form = h(
    'form',
    { className: 'preview', 'aria-labelledby': 'preview-title' },
    h('h3', { id: 'preview-title' }, 'Try it: what would happen to an order?'),
    h(
      'div',
      { className: 'field inline' },
      h('label', { for: 'preview-order' }, 'Order number'),
      input,
      h('button', { type: 'submit', className: 'button secondary' }, 'Preview'),
    ),
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const orderId = Number(input.value.trim());
    if (!Number.isInteger(orderId) || orderId <= 0) {
      replaceChildren(result, h('p', { className: 'field-error' }, 'Enter a WooCommerce order number.'));
      return;
    }
    const settings = draft();
    if (!settings) {
      replaceChildren(result, h('p', { className: 'field-error' }, 'Fix the marked settings first.'));
      return;
    }
    replaceChildren(result, 'Working…');
    try {
      const plan = await api.post<PlanAnswer>(PREVIEW_ROUTE.path, { orderId, settings });
      replaceChildren(
        result,
        h(
          'p',
          {},
          h('strong', {}, `Rule ${plan.rule}`),
          plan.accountCode ? ` → account ${plan.accountCode}` : ' → no account: the order would be held',
        ),
        h('p', {}, plan.reason),
        plan.note ? h('p', { className: 'notice' }, plan.note) : null,
        plan.trace && plan.trace.length
          ? h(
              'details',
              { className: 'preview-trace' },
              h('summary', {}, 'How the rules were applied'),
              h(
                'ol',
                { className: 'trace' },
                plan.trace.map((step) => h('li', {}, h('strong', {}, `${step.step} (${step.result})`), `: ${step.detail}`)),
              ),
            )
          : null,
      );
    } catch (err) {
      replaceChildren(result, h('p', { className: 'field-error' }, err instanceof ApiError ? err.message : String(err)));
    }
  });
  return form;
}
