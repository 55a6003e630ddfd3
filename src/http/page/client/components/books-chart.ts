import type { BooksDay } from '../../../../domain/books/types.ts';
import { h, svg, uid } from '../dom.ts';
import { money, shortDay } from '../format.ts';
import { axisTicks } from './state-chart.ts';

const WIDTH = 1000;
const HEIGHT = 240;
const MARGIN = { top: 16, right: 8, bottom: 28, left: 64 };

/** Whole currency units on the axis ("1,200"), the bars exact. */
const axisLabel = (minor: number) => Math.round(minor / 100).toLocaleString('en-GB');

/**
 * The shop's gross (left bar) against Sage's (right bar) per day, as inline SVG. A day with a
 * difference gets a marker above its bars and a dashed outline: a click (or Enter) on a day opens
 * its orders. The exact numbers are in the table under the chart.
 */
export function booksChart(days: BooksDay[], currency: string | null, onDay: (date: string) => void): HTMLElement {
  if (days.length === 0) return h('p', { className: 'empty' }, 'No orders in this period.');
  const titleId = uid('books-chart-title');
  const descId = uid('books-chart-desc');
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const ticks = axisTicks(Math.ceil(Math.max(0, ...days.map((d) => Math.max(d.wooGrossMinor, d.sageGrossMinor))) / 100)).map(
    (t) => t * 100,
  );
  const max = ticks[ticks.length - 1]!;
  const y = (v: number) => MARGIN.top + plotH - (Math.max(0, v) / max) * plotH;
  const slot = plotW / days.length;
  const barW = Math.max(2, slot * 0.36);
  const labelEvery = Math.ceil(days.length / 16);
  const off = days.filter((d) => d.differenceMinor !== 0);

  const grid = ticks.map((v) =>
    svg(
      'g',
      { class: 'chart-grid' },
      svg('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(v), y2: y(v) }),
      svg('text', { x: MARGIN.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, axisLabel(v)),
    ),
  );
  const groups = days.map((d, i) => {
    const x = MARGIN.left + i * slot + (slot - 2 * barW) / 2;
    const date = d.date!;
    const differs = d.differenceMinor !== 0;
    const label = `${shortDay(date)}: shop ${money(d.wooGrossMinor, currency)}, Sage ${money(d.sageGrossMinor, currency)}${differs ? `, difference ${money(d.differenceMinor, currency)}` : ''}`;
    const group = svg(
      'g',
      {
        class: `books-day${differs ? ' differs' : ''}`,
        tabindex: 0,
        role: 'button',
        'aria-label': `${label}. Show its orders`,
        'data-date': date,
      },
      svg('title', {}, label),
      svg('rect', { class: 'books-hit', x: MARGIN.left + i * slot, y: MARGIN.top, width: slot, height: plotH }),
      svg('rect', { class: 'bar-shop', x, width: barW, y: y(d.wooGrossMinor), height: y(0) - y(d.wooGrossMinor) }),
      svg('rect', { class: 'bar-sage', x: x + barW, width: barW, y: y(d.sageGrossMinor), height: y(0) - y(d.sageGrossMinor) }),
      differs
        ? svg('path', {
            class: 'difference-mark',
            d: `M ${x + barW} ${MARGIN.top + 2} l -6 -10 h 12 z`,
          })
        : null,
      i % labelEvery === 0
        ? svg('text', { class: 'chart-axis', x: x + barW, y: HEIGHT - 8, 'text-anchor': 'middle' }, shortDay(date))
        : null,
    );
    group.addEventListener('click', () => onDay(date));
    group.addEventListener('keydown', (e) => {
      const key = (e as KeyboardEvent).key;
      if (key === 'Enter' || key === ' ') {
        e.preventDefault();
        onDay(date);
      }
    });
    return group;
  });
  const summary = off.length
    ? `${off.length} day(s) with a difference: ${off.map((d) => `${shortDay(d.date!)} ${money(d.differenceMinor, currency)}`).join(', ')}.`
    : 'Every day balances: the shop equals Sage plus what is not in Sage.';
  return h(
    'figure',
    { className: 'chart-figure' },
    svg(
      'svg',
      { class: 'chart books-chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'group', 'aria-labelledby': `${titleId} ${descId}` },
      svg('title', { id: titleId }, 'The shop against Sage per day'),
      svg('desc', { id: descId }, summary),
      ...grid,
      ...groups,
    ),
    h(
      'ul',
      { className: 'legend', 'aria-label': 'Legend' },
      h('li', {}, h('span', { className: 'swatch swatch-shop', 'aria-hidden': 'true' }), 'WooCommerce'),
      h('li', {}, h('span', { className: 'swatch swatch-sage', 'aria-hidden': 'true' }), 'Sage'),
      h('li', {}, h('span', { className: 'swatch swatch-difference', 'aria-hidden': 'true' }), 'a difference'),
    ),
  );
}
