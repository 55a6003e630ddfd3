import { accountCodeWarnings } from '../account-warning.ts';
import { api, ApiError, withQuery } from '../api.ts';
import { askBeforeSaving } from '../components/confirm-panel.ts';
import { h, replaceChildren } from '../dom.ts';
import { dateTime, setShopTimeZone } from '../format.ts';
import { addressOf, type Screen, type ScreenContext } from '../screen.ts';
import type { AuditEntry, Settings, SettingsAnswer } from '../types.ts';
import { connectionPanel } from './settings-check.ts';
import { createControl, displayValue, type Control } from './settings-controls.ts';
import { fallThroughOutcome, OTHER_GROUPS, RULE_GROUPS, type FieldDef } from './settings-fields.ts';
import { notifyTestPanel } from './settings-notify-test.ts';
import { previewPanel } from './settings-preview.ts';

const SETTINGS_PUT = { method: 'put', path: '/api/settings' } as const;
const AUDIT_GET = { method: 'get', path: '/api/audit' } as const;

/** "body.taxCodes.byPercent.17: expected a number" → key taxCodes, "byPercent.17: expected a number". */
export function problemField(problem: string, keys: string[]): { key: string | null; message: string } {
  const m = /^(?:body\.)?([A-Za-z]+)((?:\.[^:\s]+)*):\s*(.*)$/.exec(problem);
  if (!m || !keys.includes(m[1]!)) return { key: null, message: problem };
  const sub = m[2] ? `${m[2].slice(1)}: ` : '';
  return { key: m[1]!, message: `${sub}${m[3]}` };
}

function ruleItem(group: (typeof RULE_GROUPS)[number], index: number, body: Node[]): HTMLElement {
  const titleId = `rule-${group.rule.toLowerCase()}`;
  return h(
    'li',
    { className: 'rule', 'aria-labelledby': titleId },
    h('h3', { id: titleId }, h('span', { className: 'rule-name' }, `${index + 1}. ${group.rule}`), ` — ${group.title}`),
    h('p', { className: 'rule-text' }, group.explanation),
    group.rule === 'NONE' ? h('p', {}, h('a', { href: addressOf('orders', { state: 'held' }) }, 'See the held orders')) : null,
    ...body,
  );
}

function valueRows(defs: FieldDef[], settings: Settings): HTMLElement | null {
  if (defs.length === 0) return null;
  return h(
    'dl',
    { className: 'facts' },
    defs.map((d) => [h('dt', {}, d.label), h('dd', {}, displayValue(d, settings[d.key]))]),
  );
}

/** Support users see the settings, with the same explanation, but nothing to edit. */
function readOnlyView(settings: Settings): HTMLElement {
  return h(
    'div',
    { className: 'screen settings' },
    h('h1', { tabindex: '-1' }, 'Settings'),
    h('p', { className: 'notice' }, 'Only an owner can change settings. This is what they are now.'),
    h(
      'section',
      { className: 'panel', 'aria-labelledby': 'rules-title' },
      h('h2', { id: 'rules-title' }, 'Which Sage account an order goes to'),
      h('p', {}, 'The rules are tried in this order; the first that applies wins.'),
      h(
        'ol',
        { className: 'rules' },
        RULE_GROUPS.map((g, i) =>
          ruleItem(
            g,
            i,
            [valueRows(g.fields, settings)].filter((n): n is HTMLElement => n !== null),
          ),
        ),
      ),
    ),
    OTHER_GROUPS.map((g) => h('section', { className: 'panel' }, h('h2', {}, g.title), valueRows(g.fields, settings))),
  );
}

function describeChange(c: { key: string; before: unknown; after: unknown }): string {
  const text = (v: unknown) => (typeof v === 'string' ? (v === '' ? '(none)' : v) : JSON.stringify(v));
  const long = (v: unknown) => typeof v === 'object' && v !== null;
  return long(c.before) || long(c.after) ? `${c.key} changed` : `${c.key} ${text(c.before)} → ${text(c.after)}`;
}

async function recentChanges(target: HTMLElement): Promise<void> {
  const { entries } = await api.get<{ entries: AuditEntry[] }>(withQuery('/api/audit', { action: 'settings.set', limit: 10 }));
  replaceChildren(
    target,
    entries.length === 0
      ? h('p', { className: 'empty' }, 'No setting has been changed yet.')
      : h(
          'table',
          { className: 'data-table compact audit-table' },
          h('caption', { className: 'visually-hidden' }, 'The last ten setting changes, newest first'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['When', 'Who', 'Change'].map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          h(
            'tbody',
            {},
            entries.map((e) =>
              h(
                'tr',
                {},
                h('td', { className: 'nowrap' }, dateTime(e.at)),
                h('td', {}, e.actor),
                h('td', {}, describeChange({ key: e.subject.replace(/^settings\./, ''), before: e.before, after: e.after })),
              ),
            ),
          ),
        ),
  );
}

async function renderSettings(ctx: ScreenContext): Promise<HTMLElement> {
  const answer = await api.get<SettingsAnswer>('/api/settings');
  if (!ctx.session.can(SETTINGS_PUT)) return readOnlyView(answer.settings);
  let saved = answer.settings;

  const controls = new Map<string, Control>();
  const control = (def: FieldDef) => {
    const c = createControl(def, answer.help[def.key]);
    controls.set(def.key, c);
    return c.element;
  };
  const ruleItems = RULE_GROUPS.map((g, i) =>
    ruleItem(g, i, g.fields.length ? [h('div', { className: 'rule-fields' }, g.fields.map(control))] : []),
  );
  const otherSections = OTHER_GROUPS.map((g) =>
    h('fieldset', { className: 'panel' }, h('legend', {}, g.title), h('div', { className: 'grid-fields' }, g.fields.map(control))),
  );
  const fill = (settings: Settings) => {
    for (const [key, c] of controls) {
      c.write(settings[key]);
      c.setError(null);
    }
  };
  fill(saved);

  /** Every field read, or undefined after marking the fields that cannot be read. */
  const draft = (): Record<string, unknown> | undefined => {
    const values: Record<string, unknown> = {};
    let ok = true;
    for (const [key, c] of controls) {
      const r = c.read();
      if (r.ok) values[key] = r.value;
      else {
        c.setError(r.error);
        ok = false;
      }
    }
    return ok ? values : undefined;
  };

  const outcome = h('p', { className: 'outcome', 'aria-live': 'polite' });
  const updateOutcome = () => {
    const values = Object.fromEntries([...controls].map(([k, c]) => [k, (c.read() as { value?: unknown }).value]));
    replaceChildren(
      outcome,
      h('strong', {}, 'With these settings, '),
      `an order without a profile code whose email is not in Sage: from a logged-in buyer, ${fallThroughOutcome(values, true)}; from a guest, ${fallThroughOutcome(values, false)}.`,
    );
  };
  updateOutcome();

  const summary = h('div', { className: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
  const status = h('p', { className: 'form-status', role: 'status' });
  const saveButton = h('button', { type: 'submit', className: 'button' }, 'Save settings');
  const confirmHost = h('div', { className: 'confirm-host', hidden: true });
  const history = h('div', { className: 'recent-changes' });

  function showProblems(problems: Array<{ key: string | null; message: string }>): void {
    const items = problems.map((p) => {
      const c = p.key ? controls.get(p.key) : undefined;
      if (c) c.setError(p.message);
      const text = c ? `${c.def.label}: ${p.message}` : p.message;
      return h('li', {}, c ? h('button', { type: 'button', className: 'link-button', onclick: () => c.focus() }, text) : text);
    });
    replaceChildren(
      summary,
      h('h2', {}, problems.length === 1 ? 'One setting needs fixing' : `${problems.length} settings need fixing`),
      h('ul', {}, items),
    );
    summary.hidden = false;
    summary.focus();
  }

  /** A default account Sage does not have would send every fall-through order to a failing import: ask first. */
  async function defaultCodeConfirmed(patch: Record<string, unknown>): Promise<boolean> {
    const code = patch.defaultAccountCode;
    if (typeof code !== 'string' || !code.trim()) return true;
    const [warning] = (await accountCodeWarnings(ctx.session, [code])).values();
    if (!warning) return true;
    const choice = await askBeforeSaving(
      confirmHost,
      [
        h('strong', {}, 'Check the default account code. '),
        warning,
        ' Orders that reach rule 4 would go to it and fail at import unless the account exists in Sage.',
      ],
      [
        { value: 'fix', label: 'Change the code', primary: true },
        { value: 'save', label: 'Save anyway' },
      ],
    );
    return choice === 'save';
  }

  const form = h(
    'form',
    { className: 'settings-form', novalidate: true, 'aria-labelledby': 'settings-title' },
    summary,
    h(
      'section',
      { className: 'panel', 'aria-labelledby': 'rules-title' },
      h('h2', { id: 'rules-title' }, 'Which Sage account an order goes to'),
      h('p', {}, 'The rules are tried in this order; the first that applies wins.'),
      h('ol', { className: 'rules' }, ruleItems),
      outcome,
      previewPanel(ctx.session, draft),
    ),
    otherSections,
    confirmHost,
    h('div', { className: 'form-actions' }, saveButton, status),
  );
  form.addEventListener('input', updateOutcome);
  form.addEventListener('change', updateOutcome);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    summary.hidden = true;
    status.textContent = '';
    for (const c of controls.values()) c.setError(null);
    const values = draft();
    if (!values) {
      showProblems(
        [...controls.values()].flatMap((c) => (c.read().ok ? [] : [{ key: c.def.key, message: (c.read() as { error: string }).error }])),
      );
      return;
    }
    const patch = Object.fromEntries(Object.entries(values).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(saved[k])));
    if (Object.keys(patch).length === 0) {
      status.textContent = 'Nothing to save: no setting changed.';
      return;
    }
    saveButton.disabled = true;
    if (!(await defaultCodeConfirmed(patch))) {
      saveButton.disabled = false;
      status.textContent = 'Not saved.';
      controls.get('defaultAccountCode')?.focus();
      return;
    }
    status.textContent = 'Saving…';
    try {
      const result = await api.put<{ settings: Settings; changes: Array<{ key: string; before: unknown; after: unknown }> }>(
        '/api/settings',
        patch,
      );
      saved = result.settings;
      if (typeof saved.shopTimezone === 'string') setShopTimeZone(saved.shopTimezone);
      fill(saved);
      updateOutcome();
      status.textContent = result.changes.length ? `Saved. ${result.changes.map(describeChange).join('; ')}.` : 'Saved; nothing changed.';
      if (ctx.session.can(AUDIT_GET)) await recentChanges(history);
    } catch (err) {
      status.textContent = 'Not saved.';
      if (err instanceof ApiError && err.problems.length) showProblems(err.problems.map((p) => problemField(p, [...controls.keys()])));
      else showProblems([{ key: null, message: err instanceof Error ? err.message : String(err) }]);
    } finally {
      saveButton.disabled = false;
    }
  });

  if (ctx.session.can(AUDIT_GET)) await recentChanges(history);
  return h(
    'div',
    { className: 'screen settings' },
    h('h1', { tabindex: '-1', id: 'settings-title' }, 'Settings'),
    connectionPanel(ctx.session),
    form,
    notifyTestPanel(ctx.session),
    ctx.session.can(AUDIT_GET)
      ? h('section', { className: 'panel', 'aria-labelledby': 'recent-title' }, h('h2', { id: 'recent-title' }, 'Recent changes'), history)
      : null,
  );
}

export const settingsScreen: Screen = {
  id: 'settings',
  title: 'Settings',
  needs: { method: 'get', path: '/api/settings' },
  render: renderSettings,
};
