import { h, replaceChildren } from './dom.ts';
import type { Screen } from './screen.ts';
import type { Session } from './session.ts';

export interface Shell {
  root: HTMLElement;
  main: HTMLElement;
  setCurrent(screenId: string): void;
}

/** Header (navigation, who is signed in, sign out) and the main region the screens render into. */
export function renderShell(session: Session, screens: Screen[], onSignOut: () => void): Shell {
  const main = h('main', { id: 'main', tabindex: '-1', className: 'main' });
  const links = screens.map((screen) => h('a', { href: `#/${screen.id}`, 'data-screen': screen.id }, screen.title));
  const skip = h(
    'button',
    {
      type: 'button',
      className: 'skip-link',
      onclick: () => (main.querySelector<HTMLElement>('h1') ?? main).focus(),
    },
    'Skip to content',
  );
  // On a narrow screen the navigation and "Sign out" fold into a menu opened by this button;
  // on a wide one the button is hidden and everything is on the bar (layout.css).
  const menuButton = h(
    'button',
    { type: 'button', className: 'menu-button', 'aria-expanded': 'false', 'aria-controls': 'main-menu' },
    h('span', { className: 'menu-icon', 'aria-hidden': 'true' }),
    'Menu',
  );
  const menu = h(
    'div',
    { id: 'main-menu', className: 'menu' },
    h(
      'nav',
      { 'aria-label': 'Main' },
      h(
        'ul',
        {},
        links.map((a) => h('li', {}, a)),
      ),
    ),
    h(
      'div',
      { className: 'who' },
      h('span', {}, session.user.username, ' ', h('span', { className: 'role' }, `(${session.user.role})`)),
      h('button', { type: 'button', className: 'button secondary', onclick: onSignOut }, 'Sign out'),
    ),
  );
  const header = h('header', { className: 'topbar' }, h('span', { className: 'brand' }, 'woo-sage'), menuButton, menu);
  const setMenuOpen = (open: boolean) => {
    header.classList.toggle('menu-open', open);
    menuButton.setAttribute('aria-expanded', String(open));
  };
  menuButton.addEventListener('click', () => setMenuOpen(menuButton.getAttribute('aria-expanded') !== 'true'));
  header.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && header.classList.contains('menu-open')) {
      setMenuOpen(false);
      menuButton.focus();
    }
  });
  const root = h('div', { className: 'shell' }, skip, header, main);
  return {
    root,
    main,
    setCurrent(screenId) {
      setMenuOpen(false); // a screen was chosen: the menu has done its job
      for (const a of links) {
        if (a.dataset.screen === screenId) a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
      }
    },
  };
}

export function loadingPanel(): HTMLElement {
  return h('p', { className: 'loading', role: 'status' }, 'Loading…');
}

export function errorPanel(message: string, retry: () => void): HTMLElement {
  const panel = h('div', { className: 'panel error-panel', role: 'alert' });
  replaceChildren(
    panel,
    h('h1', { tabindex: '-1' }, 'Something went wrong'),
    h('p', {}, message),
    h('button', { type: 'button', className: 'button', onclick: retry }, 'Try again'),
  );
  return panel;
}
