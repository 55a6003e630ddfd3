import { ApiError } from '../api.ts';
import { h, replaceChildren } from '../dom.ts';
import { signIn, type Session } from '../session.ts';

export function renderLogin(options: { message?: string; onSignedIn(session: Session): void }): HTMLElement {
  const username = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true, spellcheck: false });
  const password = h('input', {
    id: 'login-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const status = h('p', { className: 'form-status', role: 'status' }, options.message ?? '');
  const error = h('div', { className: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', className: 'button' }, 'Sign in');
  const form = h(
    'form',
    { className: 'login-form', 'aria-labelledby': 'login-title', novalidate: true },
    h('h1', { id: 'login-title' }, 'Sign in to woo-sage'),
    status,
    error,
    h('div', { className: 'field' }, h('label', { for: 'login-username' }, 'Username'), username),
    h('div', { className: 'field' }, h('label', { for: 'login-password' }, 'Password'), password),
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replaceChildren(error);
    if (!username.value.trim() || !password.value) {
      replaceChildren(error, 'Enter your username and password.');
      (username.value.trim() ? password : username).focus();
      return;
    }
    submit.disabled = true;
    status.textContent = 'Signing in…';
    try {
      options.onSignedIn(await signIn(username.value, password.value));
    } catch (err) {
      status.textContent = '';
      password.value = '';
      const wait = err instanceof ApiError ? Number(err.details.retryAfterSeconds) : NaN;
      const message =
        err instanceof ApiError && err.code === 'TOO_MANY_ATTEMPTS' && Number.isFinite(wait)
          ? `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? 's' : ''}.`
          : err instanceof ApiError && err.code === 'INVALID_CREDENTIALS'
            ? 'That username and password do not match an active user.'
            : err instanceof Error
              ? err.message
              : String(err);
      replaceChildren(error, message);
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  queueMicrotask(() => username.focus());
  return h('div', { className: 'login-page' }, h('main', { className: 'login-card' }, form));
}
