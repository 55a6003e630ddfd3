import { api } from '../api.ts';
import { h, replaceChildren } from '../dom.ts';
import type { RouteKey, Session } from '../session.ts';
import type { CheckReport } from '../types.ts';

/**
 * "Test connection": what `woo-sage check` finds (POST /api/check, owners only), as a list of
 * findings with their fixes. The store is only read; nothing is saved.
 */
export const CHECK_ROUTE: RouteKey = { method: 'post', path: '/api/check' };

const LEVEL_TEXT: Record<CheckReport['findings'][number]['level'], string> = {
  ok: 'OK',
  info: 'Note',
  warn: 'Warning',
  fail: 'Problem',
  fatal: 'Blocking',
};

const VERDICT: Record<CheckReport['status'], string> = {
  ready: 'Ready: woo-sage can sync this store.',
  not_ready: 'Not ready: fix the problems below first.',
  unusable: 'woo-sage cannot work with this configuration until the blocking problems are fixed.',
};

function findingsList(report: CheckReport): HTMLElement[] {
  // Problems first: they are what the person came for.
  const rank = { fatal: 0, fail: 1, warn: 2, info: 3, ok: 4 } as const;
  const sorted = [...report.findings].sort((a, b) => rank[a.level] - rank[b.level]);
  return [
    h('p', { className: `check-verdict check-${report.status}` }, VERDICT[report.status]),
    h(
      'ul',
      { className: 'check-findings' },
      sorted.map((f) =>
        h(
          'li',
          { className: `check-finding level-${f.level}` },
          h('span', { className: `badge check-level level-${f.level}` }, LEVEL_TEXT[f.level]),
          ' ',
          f.message,
          f.fix ? h('span', { className: 'check-fix' }, h('strong', {}, 'Fix: '), f.fix) : null,
        ),
      ),
    ),
  ];
}

export function connectionPanel(session: Session): HTMLElement | null {
  if (!session.can(CHECK_ROUTE)) return null;
  const button = h('button', { type: 'button', className: 'button secondary' }, 'Test connection');
  const status = h('p', { className: 'form-status', role: 'status' });
  const result = h('div', { className: 'check-result' });
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = 'Testing the connection to the store…';
    replaceChildren(result);
    try {
      const report = await api.post<CheckReport>('/api/check', {});
      status.textContent = VERDICT[report.status];
      replaceChildren(result, findingsList(report));
    } catch (err) {
      status.textContent = `The test could not run: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      button.disabled = false;
    }
  });
  return h(
    'section',
    { className: 'panel', 'aria-labelledby': 'check-title' },
    h('h2', { id: 'check-title' }, 'Store connection'),
    h(
      'p',
      {},
      'Checks the store (WOO_URL and the keys), its tax rates and payment gateways against these settings, and the Sage account import, as ',
      h('code', {}, 'woo-sage check'),
      ' does. Save changed settings first: the test uses the saved ones.',
    ),
    h('div', { className: 'form-actions' }, button, status),
    result,
  );
}
