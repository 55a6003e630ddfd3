import { h, uid } from '../dom.ts';

export interface Drawer {
  body: HTMLElement;
  close(): void;
}

let current: Drawer | undefined;

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal side panel. While it is open the rest of the page is inert (no focus, no clicks, hidden
 * from screen readers); Tab cycles inside it; Esc, the close button or a click outside closes it
 * and focus goes back to what opened it.
 */
export function openDrawer(options: { title: string; closeLabel: string; onClose?: () => void }): Drawer {
  current?.close();
  const host = document.getElementById('drawer-host')!;
  const page = document.querySelector<HTMLElement>('.shell');
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
  const titleId = uid('drawer-title');
  const body = h('div', { className: 'drawer-body' });
  const closeButton = h(
    'button',
    { type: 'button', className: 'button secondary drawer-close', 'aria-label': options.closeLabel },
    'Close',
  );
  const panel = h(
    'div',
    { className: 'drawer', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, tabindex: '-1' },
    h('div', { className: 'drawer-header' }, h('h2', { id: titleId }, options.title), closeButton),
    body,
  );
  const backdrop = h('div', { className: 'drawer-backdrop' });
  let open = true;

  const drawer: Drawer = {
    body,
    close() {
      if (!open) return;
      open = false;
      panel.remove();
      backdrop.remove();
      if (page) page.inert = false;
      if (current === drawer) current = undefined;
      options.onClose?.();
      if (opener?.isConnected) opener.focus();
    },
  };

  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      drawer.close();
    } else if (event.key === 'Tab') {
      const items = [...panel.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) return;
      if (event.shiftKey && (document.activeElement === first || document.activeElement === panel)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  });
  closeButton.addEventListener('click', () => drawer.close());
  backdrop.addEventListener('click', () => drawer.close());

  if (page) page.inert = true;
  host.append(backdrop, panel);
  panel.focus();
  current = drawer;
  return drawer;
}

/** Closes whatever drawer is open (e.g. when the screen changes). */
export function closeDrawer(): void {
  current?.close();
}
