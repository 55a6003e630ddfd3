import { h, replaceChildren } from '../dom.ts';

export interface ConfirmChoice<T extends string> {
  value: T;
  label: string;
  /** The button a person most likely wants looks primary; the others secondary. */
  primary?: boolean;
}

/**
 * Asks before a save that may be a mistake (a code Sage does not have): the warning and the
 * choices appear in `host`, focus moves to the warning, and the promise gives the choice.
 * Nothing is saved meanwhile; the host is emptied once a choice is made.
 */
export function askBeforeSaving<T extends string>(
  host: HTMLElement,
  message: Array<Node | string>,
  choices: Array<ConfirmChoice<T>>,
): Promise<T> {
  return new Promise((resolve) => {
    const text = h('p', { tabindex: '-1' }, message);
    const buttons = choices.map((choice) =>
      h(
        'button',
        {
          type: 'button',
          className: choice.primary ? 'button' : 'button secondary',
          onclick: () => {
            replaceChildren(host);
            host.hidden = true;
            resolve(choice.value);
          },
        },
        choice.label,
      ),
    );
    replaceChildren(
      host,
      h(
        'div',
        { className: 'confirm-panel notice', role: 'alertdialog', 'aria-label': 'Check before saving' },
        text,
        h('div', { className: 'confirm-actions' }, buttons),
      ),
    );
    host.hidden = false;
    text.focus();
  });
}
