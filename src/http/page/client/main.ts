import { whenSessionEnds } from './api.ts';
import { closeDrawer } from './components/drawer.ts';
import { h, replaceChildren } from './dom.ts';
import { renderLogin } from './screens/login.ts';
import { SCREENS } from './screens/index.ts';
import { addressOf, parseAddress, type Screen, type ScreenContext } from './screen.ts';
import { resumeSession, signOut, type Session } from './session.ts';
import { errorPanel, loadingPanel, renderShell, type Shell } from './shell.ts';

/**
 * The page: sign-in, then one screen at a time chosen by the address (`#/orders?state=held`), so
 * links, the back button and bookmarks work. Everything is built with DOM calls and served from
 * this origin (the Content-Security-Policy allows nothing else).
 */
const app = document.getElementById('app')!;
const announcer = h('div', { id: 'announcer', className: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' });
const drawerHost = h('div', { id: 'drawer-host' });

let session: Session | undefined;
let shell: Shell | undefined;
let renderSeq = 0;

function announce(message: string): void {
  // Emptying first makes a repeated message be read again.
  announcer.textContent = '';
  window.setTimeout(() => (announcer.textContent = message), 50);
}

function allowedScreens(s: Session): Screen[] {
  return SCREENS.filter((screen) => s.can(screen.needs));
}

async function showScreen(): Promise<void> {
  if (!session || !shell) return;
  const seq = ++renderSeq;
  closeDrawer();
  const screens = allowedScreens(session);
  const address = parseAddress(location.hash);
  const screen = screens.find((s) => s.id === address.id) ?? screens[0];
  if (!screen) {
    replaceChildren(shell.main, h('p', {}, 'Your role has no screens. Ask an owner.'));
    return;
  }
  if (screen.id !== address.id) {
    history.replaceState(null, '', addressOf(screen.id));
  }
  shell.setCurrent(screen.id);
  document.title = `${screen.title} · woo-sage`;
  shell.main.setAttribute('aria-busy', 'true');
  replaceChildren(shell.main, loadingPanel());
  const ctx: ScreenContext = {
    session,
    params: address.params,
    announce,
    go(screenId, params, options) {
      const target = addressOf(screenId, params);
      if (options?.replace) history.replaceState(null, '', target);
      else location.hash = target;
    },
  };
  let content: HTMLElement;
  try {
    content = await screen.render(ctx);
  } catch (err) {
    content = errorPanel(err instanceof Error ? err.message : String(err), () => void showScreen());
  }
  if (seq !== renderSeq || !shell) return; // a newer navigation won
  replaceChildren(shell.main, content);
  shell.main.removeAttribute('aria-busy');
  // Moving focus to the new heading tells keyboard and screen-reader users the screen changed.
  shell.main.querySelector<HTMLElement>('h1')?.focus();
}

function showLogin(message?: string): void {
  session = undefined;
  shell = undefined;
  drawerHost.replaceChildren();
  document.title = 'Sign in · woo-sage';
  replaceChildren(
    app,
    renderLogin({
      message,
      onSignedIn(next) {
        session = next;
        startShell();
      },
    }),
    drawerHost,
    announcer,
  );
}

function startShell(): void {
  if (!session) return;
  shell = renderShell(session, allowedScreens(session), () => {
    void signOut().finally(() => showLogin('You have signed out.'));
  });
  replaceChildren(app, shell.root, drawerHost, announcer);
  void showScreen();
}

whenSessionEnds(() => {
  if (session) showLogin('Your session has ended. Sign in again to continue.');
});
window.addEventListener('hashchange', () => void showScreen());

async function boot(): Promise<void> {
  try {
    session = await resumeSession();
  } catch (err) {
    replaceChildren(
      app,
      errorPanel(err instanceof Error ? err.message : String(err), () => void boot()),
      announcer,
    );
    return;
  }
  if (session) startShell();
  else showLogin();
}

void boot();
