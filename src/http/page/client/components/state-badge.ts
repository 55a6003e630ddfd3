import { h } from '../dom.ts';

/** A state name with its colour; the word carries the meaning, the colour only helps. */
export function stateBadge(state: string): HTMLElement {
  return h('span', { className: `badge badge-${state}` }, state);
}
