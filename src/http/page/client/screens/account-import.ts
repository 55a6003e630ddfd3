import { api, ApiError, withQuery } from '../api.ts';
import { h, replaceChildren } from '../dom.ts';
import { plural } from '../format.ts';
import type { Session } from '../session.ts';
import type { ImportSummary } from '../types.ts';

export const IMPORT_ROUTE = { method: 'post', path: '/api/accounts/import' } as const;
/** The server's limit; a bigger file is refused here rather than after a long upload. */
const MAX_BYTES = 50 * 1024 * 1024;

function summaryView(s: ImportSummary): HTMLElement {
  const counts = [
    `${s.created} new`,
    `${s.updated} updated`,
    s.confirmed ? `${s.confirmed} created by woo-sage now confirmed` : null,
    s.reactivated ? `${s.reactivated} active again` : null,
    s.kind === 'all' ? `${s.deactivated} missing from the file marked inactive` : null,
  ].filter(Boolean);
  return h(
    'div',
    { className: 'import-summary' },
    h(
      'p',
      {},
      h('strong', {}, `Imported ${plural(s.customers, 'account')} from ${s.file}`),
      ` (${s.kind === 'all' ? 'full export' : 'new or changed customers'}): ${counts.join(', ')}; ${plural(s.emails, 'email address', 'email addresses')}.`,
    ),
    s.skipped.length
      ? h(
          'div',
          {},
          h('p', {}, `${plural(s.skipped.length, 'record')} skipped:`),
          h(
            'ul',
            {},
            s.skipped.map((k) => h('li', {}, `line ${k.line}: ${k.reason}`)),
          ),
        )
      : null,
    s.clashes.length
      ? h(
          'div',
          { className: 'problem' },
          h('p', {}, `${plural(s.clashes.length, 'code')} clash with Sage (neither account was overwritten):`),
          h(
            'ul',
            {},
            s.clashes.map((c) =>
              h(
                'li',
                {},
                `${c.code}: created here for ${c.created.name ?? c.created.emails.join(', ')}, but Sage's ${c.code} is ${c.sage.name ?? c.sage.emails.join(', ')}. ${c.heldOrders.length ? `Held orders: ${c.heldOrders.join(', ')}. ` : ''}Re-code it above.`,
              ),
            ),
          ),
        )
      : null,
    s.warnings.length
      ? h(
          'div',
          {},
          h('p', {}, 'Warnings:'),
          h(
            'ul',
            {},
            s.warnings.map((w) => h('li', {}, w)),
          ),
        )
      : null,
  );
}

/**
 * "Import a Sage customer export": a file picker and, for owners, "this is a full export" (which
 * marks accounts missing from the file inactive). The file goes up as it is; the server imports it
 * all or nothing and answers with a summary, or with the line and column of what it could not read.
 */
export function importPanel(session: Session, onImported: () => void): HTMLElement | null {
  if (!session.can(IMPORT_ROUTE)) return null;
  const isOwner = session.user.role === 'owner';
  const file = h('input', { id: 'import-file', name: 'file', type: 'file', accept: '.xml,text/xml,application/xml', required: true });
  const full = h('input', { id: 'import-full', name: 'all', type: 'checkbox' });
  const force = h('input', { id: 'import-force', name: 'force', type: 'checkbox' });
  const forceField = h(
    'div',
    { className: 'field check', hidden: true },
    force,
    h(
      'label',
      { for: 'import-force' },
      'Yes, the file lists every customer: mark the missing accounts inactive even though they are most of them',
    ),
  );
  const result = h('div', { className: 'import-result', role: 'status' });
  const error = h('p', { className: 'field-error', role: 'alert' });
  const button = h('button', { type: 'submit', className: 'button' }, 'Import');
  const form = h(
    'form',
    { className: 'panel import-form', 'aria-labelledby': 'import-title', novalidate: true },
    h('h2', { id: 'import-title' }, 'Import a Sage customer export'),
    h(
      'p',
      {},
      'Export the customers from Sage (with Zynk: "Export Customers" as Customer XML) and choose the file here. The account list is updated all or nothing: a file with a mistake changes nothing.',
    ),
    h(
      'div',
      { className: 'field' },
      h('label', { for: 'import-file' }, 'Customer XML file'),
      h('span', { className: 'hint', id: 'import-file-hint' }, 'At most 50 MB.'),
      file,
    ),
    isOwner
      ? h(
          'div',
          { className: 'field check' },
          full,
          h('label', { for: 'import-full' }, 'This is a full export (all customers): accounts missing from it are marked inactive'),
        )
      : h('p', { className: 'hint' }, 'Only an owner can import a full export, which marks missing accounts inactive.'),
    isOwner ? forceField : null,
    error,
    button,
    result,
  );
  file.setAttribute('aria-describedby', 'import-file-hint');
  full.addEventListener('change', () => {
    if (!full.checked) {
      forceField.hidden = true;
      force.checked = false;
    }
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    replaceChildren(result);
    const chosen = file.files?.[0];
    if (!chosen) {
      error.textContent = 'Choose the Customer XML file to import.';
      file.focus();
      return;
    }
    if (chosen.size > MAX_BYTES) {
      error.textContent = `${chosen.name} is larger than 50 MB; export fewer customers at a time.`;
      file.focus();
      return;
    }
    button.disabled = true;
    result.textContent = `Importing ${chosen.name}…`;
    try {
      const path = withQuery(IMPORT_ROUTE.path, {
        fileName: chosen.name,
        all: isOwner && full.checked ? 'true' : undefined,
        force: isOwner && full.checked && force.checked ? 'true' : undefined,
      });
      const { summary } = await api.upload<{ summary: ImportSummary }>(path, chosen);
      replaceChildren(result, summaryView(summary));
      form.reset();
      forceField.hidden = true;
      onImported();
    } catch (err) {
      replaceChildren(result);
      if (err instanceof ApiError && typeof err.details.unseen === 'number') forceField.hidden = false;
      error.textContent = `Not imported: ${err instanceof Error ? err.message : String(err)}`;
      file.focus();
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
