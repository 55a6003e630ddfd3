import { h, replaceChildren } from '../dom.ts';
import type { FieldDef } from './settings-fields.ts';

export type ReadResult = { ok: true; value: unknown } | { ok: false; error: string };

/** One settings field: its markup, and how to read, fill and mark it. */
export interface Control {
  def: FieldDef;
  element: HTMLElement;
  read(): ReadResult;
  write(value: unknown): void;
  setError(message: string | null): void;
  focus(): void;
}

type Input = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function inputFor(def: FieldDef, id: string): Input {
  switch (def.kind) {
    case 'checkbox':
      return h('input', { id, name: def.key, type: 'checkbox' });
    case 'select':
      return h(
        'select',
        { id, name: def.key },
        (def.options ?? []).map(([value, label]) => h('option', { value }, label)),
      );
    case 'number':
      return h('input', { id, name: def.key, type: 'number', inputMode: 'numeric', step: '1', min: '0' });
    case 'json':
      return h('textarea', { id, name: def.key, rows: 7, spellcheck: false, className: 'code' });
    case 'timezone':
      return h(
        'select',
        { id, name: def.key },
        knownTimeZones().map((zone) => h('option', { value: zone }, zone.replace(/_/g, ' '))),
      );
    default:
      return h('input', {
        id,
        name: def.key,
        type: 'text',
        spellcheck: false,
        autocomplete: 'off',
        className: def.kind === 'text' ? '' : 'code',
      });
  }
}

/** The browser's IANA zones (Area/Location, plus UTC): the names the server accepts. */
function knownTimeZones(): string[] {
  const zones = Intl.supportedValuesOf('timeZone').filter((zone) => zone.includes('/'));
  return ['UTC', ...zones.filter((zone) => zone !== 'UTC')];
}

function readValue(def: FieldDef, input: Input): ReadResult {
  const raw = input.value;
  switch (def.kind) {
    case 'checkbox':
      return { ok: true, value: (input as HTMLInputElement).checked };
    case 'number':
      return /^\s*\d+\s*$/.test(raw) ? { ok: true, value: Number(raw) } : { ok: false, error: 'Enter a whole number, e.g. 60.' };
    case 'list': {
      const items = raw
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean);
      return { ok: true, value: items };
    }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(raw) };
      } catch (err) {
        return { ok: false, error: `This is not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
      }
    default:
      return { ok: true, value: raw };
  }
}

function writeValue(def: FieldDef, input: Input, value: unknown): void {
  if (def.kind === 'checkbox') (input as HTMLInputElement).checked = value === true;
  else if (def.kind === 'list') input.value = Array.isArray(value) ? value.join(', ') : '';
  else if (def.kind === 'json') input.value = JSON.stringify(value, null, 2);
  else if (def.kind === 'timezone') {
    const zone = String(value ?? '');
    // A zone this browser does not list (older data, an alias) is still shown as it is saved.
    if (zone && ![...(input as HTMLSelectElement).options].some((o) => o.value === zone)) input.append(h('option', { value: zone }, zone));
    input.value = zone;
  } else input.value = value === undefined || value === null ? '' : String(value);
}

export function createControl(def: FieldDef, fallbackHint: string | undefined): Control {
  const id = `setting-${def.key}`;
  const input = inputFor(def, id);
  const hintText = def.hint ?? (def.kind === 'checkbox' ? undefined : fallbackHint);
  const hint = hintText ? h('p', { className: 'hint', id: `${id}-hint` }, hintText) : null;
  const error = h('p', { className: 'field-error', id: `${id}-error`, hidden: true });
  const describedBy = () => [hint ? `${id}-hint` : '', error.hidden ? '' : `${id}-error`].filter(Boolean).join(' ');
  const label = h('label', { for: id }, def.label);
  const element =
    def.kind === 'checkbox'
      ? h('div', { className: 'field check' }, input, h('div', {}, label, hint, error))
      : h('div', { className: 'field' }, label, hint, input, error);
  const sync = () => {
    const ids = describedBy();
    if (ids) input.setAttribute('aria-describedby', ids);
    else input.removeAttribute('aria-describedby');
  };
  sync();
  return {
    def,
    element,
    read: () => readValue(def, input),
    write: (value) => writeValue(def, input, value),
    setError(message) {
      error.hidden = message === null;
      replaceChildren(error, message ?? '');
      if (message === null) input.removeAttribute('aria-invalid');
      else input.setAttribute('aria-invalid', 'true');
      element.classList.toggle('invalid', message !== null);
      sync();
    },
    focus: () => input.focus(),
  };
}

/** A value as a support user sees it (no editing). */
export function displayValue(def: FieldDef, value: unknown): Node {
  if (def.kind === 'checkbox') return document.createTextNode(value === true ? 'Yes' : 'No');
  if (def.kind === 'select') return document.createTextNode(def.options?.find(([v]) => v === value)?.[1] ?? String(value));
  if (def.kind === 'list') return document.createTextNode(Array.isArray(value) ? value.join(', ') : String(value));
  if (def.kind === 'json') return h('pre', { className: 'code' }, JSON.stringify(value, null, 2));
  return document.createTextNode(value === '' ? '(none)' : String(value));
}
