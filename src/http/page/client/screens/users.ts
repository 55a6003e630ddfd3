import { api, ApiError } from '../api.ts';
import { openDrawer } from '../components/drawer.ts';
import { h, replaceChildren } from '../dom.ts';
import { dateTime } from '../format.ts';
import type { Screen, ScreenContext } from '../screen.ts';
import type { Role, User } from '../types.ts';

function errorText(err: unknown): string {
  if (err instanceof ApiError && err.problems.length) return err.problems.map((p) => p.replace(/^body\./, '')).join('; ');
  return err instanceof Error ? err.message : String(err);
}

async function renderUsers(ctx: ScreenContext): Promise<HTMLElement> {
  const status = h('p', { className: 'form-status', role: 'status' });
  const tbody = h('tbody');
  const me = ctx.session.user.username;

  async function change(user: User, patch: Record<string, unknown>, done: string): Promise<void> {
    try {
      await api.patch(`/api/users/${encodeURIComponent(user.username)}`, patch);
      await load();
      status.textContent = done;
    } catch (err) {
      status.textContent = `Not changed: ${errorText(err)}`;
    }
  }

  function passwordDrawer(user: User): void {
    const drawer = openDrawer({ title: `New password for ${user.username}`, closeLabel: 'Close without changing the password' });
    const input = h('input', { id: 'new-password', type: 'password', autocomplete: 'new-password', required: true, minLength: 12 });
    const error = h('p', { className: 'field-error', role: 'alert' });
    const form = h(
      'form',
      { novalidate: true },
      h('p', {}, `Setting a new password signs ${user.username} out everywhere.`),
      h(
        'div',
        { className: 'field' },
        h('label', { for: 'new-password' }, 'New password'),
        h('p', { className: 'hint', id: 'new-password-hint' }, 'At least 12 characters.'),
        input,
      ),
      error,
      h('button', { type: 'submit', className: 'button' }, 'Set password'),
    );
    input.setAttribute('aria-describedby', 'new-password-hint');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await api.patch(`/api/users/${encodeURIComponent(user.username)}`, { password: input.value });
        drawer.close();
        status.textContent = `Password of ${user.username} changed.`;
      } catch (err) {
        error.textContent = errorText(err);
        input.focus();
      }
    });
    replaceChildren(drawer.body, form);
    input.focus();
  }

  function row(user: User): HTMLTableRowElement {
    const other: Role | null = user.role === 'owner' ? 'support' : user.role === 'support' ? 'owner' : null;
    const disabled = user.disabledAt !== null;
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, user.username, user.username === me ? h('span', { className: 'hint' }, ' (you)') : null),
      h('td', {}, user.role),
      h('td', {}, disabled ? `Disabled ${dateTime(user.disabledAt)}` : 'Active'),
      h('td', {}, dateTime(user.lastLoginAt)),
      h(
        'td',
        { className: 'row-actions' },
        // An importer is a machine account: it never becomes a person's role.
        other === null
          ? null
          : h(
              'button',
              {
                type: 'button',
                className: 'button secondary',
                onclick: () => change(user, { role: other }, `${user.username} is now ${other}.`),
              },
              `Make ${other}`,
              h('span', { className: 'visually-hidden' }, ` (${user.username})`),
            ),
        h(
          'button',
          {
            type: 'button',
            className: 'button secondary',
            onclick: () =>
              change(user, { disabled: !disabled }, `${user.username} ${disabled ? 'enabled' : 'disabled; their sessions ended'}.`),
          },
          disabled ? 'Enable' : 'Disable',
          h('span', { className: 'visually-hidden' }, ` ${user.username}`),
        ),
        h(
          'button',
          { type: 'button', className: 'button secondary', 'aria-haspopup': 'dialog', onclick: () => passwordDrawer(user) },
          'Set password',
          h('span', { className: 'visually-hidden' }, ` for ${user.username}`),
        ),
      ),
    );
  }

  async function load(): Promise<void> {
    const { users } = await api.get<{ users: User[] }>('/api/users');
    replaceChildren(tbody, users.map(row));
  }

  const username = h('input', { id: 'add-username', name: 'username', autocomplete: 'off', spellcheck: false, required: true });
  const role = h(
    'select',
    { id: 'add-role', name: 'role' },
    h('option', { value: 'support' }, 'support'),
    h('option', { value: 'owner' }, 'owner'),
    h('option', { value: 'importer' }, 'importer (fetches Sage documents over HTTP)'),
  );
  const password = h('input', { id: 'add-password', name: 'password', type: 'password', autocomplete: 'new-password', required: true });
  const addError = h('p', { className: 'field-error', role: 'alert' });
  const addForm = h(
    'form',
    { className: 'panel add-user', 'aria-labelledby': 'add-title', novalidate: true },
    h('h2', { id: 'add-title' }, 'Add a user'),
    h(
      'div',
      { className: 'grid-fields' },
      h('div', { className: 'field' }, h('label', { for: 'add-username' }, 'Username'), username),
      h('div', { className: 'field' }, h('label', { for: 'add-role' }, 'Role'), role),
      h(
        'div',
        { className: 'field' },
        h('label', { for: 'add-password' }, 'Password'),
        h('p', { className: 'hint', id: 'add-password-hint' }, 'At least 12 characters; tell it to them privately.'),
        password,
      ),
    ),
    addError,
    h('button', { type: 'submit', className: 'button' }, 'Add user'),
  );
  password.setAttribute('aria-describedby', 'add-password-hint');
  addForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    addError.textContent = '';
    try {
      await api.post('/api/users', { username: username.value.trim(), role: role.value, password: password.value });
      const added = `Added ${username.value.trim().toLowerCase()} (${role.value}).`;
      username.value = '';
      password.value = '';
      await load();
      status.textContent = added;
    } catch (err) {
      addError.textContent = errorText(err);
    }
  });

  await load();
  return h(
    'div',
    { className: 'screen users' },
    h('h1', { tabindex: '-1' }, 'Users'),
    h(
      'p',
      {},
      'Owners can do everything, including settings and users. Support can look at everything and act on orders, but not change settings or users.',
    ),
    status,
    h(
      'div',
      { className: 'table-wrap' },
      h(
        'table',
        { className: 'data-table' },
        h('caption', { className: 'visually-hidden' }, 'Users'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['User', 'Role', 'Status', 'Last sign-in', 'Actions'].map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        tbody,
      ),
    ),
    addForm,
  );
}

export const usersScreen: Screen = {
  id: 'users',
  title: 'Users',
  needs: { method: 'get', path: '/api/users' },
  render: renderUsers,
};
