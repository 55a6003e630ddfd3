import { ORDER_STATES, type OrderState } from '../../../../domain/order-state.ts';
import { h, svg, uid } from '../dom.ts';
import { shortDay } from '../format.ts';

type Days = Array<{ day: string; entered: Record<OrderState, number> }>;

const WIDTH = 1000;
const HEIGHT = 210;
const MARGIN = { top: 12, right: 8, bottom: 28, left: 40 };

/** Whole-number gridlines: a step of 1, 2 or 5 × 10ⁿ giving about four intervals, and a top that is a multiple of it. */
export function axisTicks(maxValue: number): number[] {
  const raw = Math.max(maxValue, 1) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude);
  const top = step * Math.max(1, Math.ceil(maxValue / step));
  return Array.from({ length: top / step + 1 }, (_, i) => i * step);
}

/** "over the last 14 days: 120 queued, 4 held" */
function summary(days: Days, states: OrderState[]): string {
  const parts = states.map((s) => `${days.reduce((n, d) => n + d.entered[s], 0)} ${s}`);
  return `Orders that entered each state per day, ${days[0] ? shortDay(days[0].day) : ''} to ${days.length ? shortDay(days[days.length - 1]!.day) : ''}: ${parts.join(', ')}.`;
}

function chartSvg(days: Days, states: OrderState[], titleText: string): SVGElement {
  const titleId = uid('chart-title');
  const descId = uid('chart-desc');
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const ticks = axisTicks(Math.max(0, ...days.map((d) => states.reduce((n, s) => n + d.entered[s], 0))));
  const max = ticks[ticks.length - 1]!;
  const y = (v: number) => MARGIN.top + plotH - (v / max) * plotH;
  const slot = plotW / Math.max(days.length, 1);
  const barW = Math.max(4, slot * 0.64);

  const grid = ticks.map((v) =>
    svg(
      'g',
      { class: 'chart-grid' },
      svg('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(v), y2: y(v) }),
      svg('text', { x: MARGIN.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, String(v)),
    ),
  );
  const bars = days.map((d, i) => {
    const x = MARGIN.left + i * slot + (slot - barW) / 2;
    let base = 0;
    const rects = states
      .filter((s) => d.entered[s] > 0)
      .map((s) => {
        const rect = svg(
          'rect',
          { class: `fill-${s}`, x, width: barW, y: y(base + d.entered[s]), height: Math.max(0, y(base) - y(base + d.entered[s])) },
          svg('title', {}, `${shortDay(d.day)}: ${d.entered[s]} ${s}`),
        );
        base += d.entered[s];
        return rect;
      });
    const label = svg('text', { class: 'chart-axis', x: x + barW / 2, y: HEIGHT - 8, 'text-anchor': 'middle' }, shortDay(d.day));
    return svg('g', {}, ...rects, label);
  });
  return svg(
    'svg',
    {
      class: 'chart',
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: 'img',
      'aria-labelledby': `${titleId} ${descId}`,
      preserveAspectRatio: 'xMidYMid meet',
    },
    svg('title', { id: titleId }, titleText),
    svg('desc', { id: descId }, summary(days, states)),
    ...grid,
    ...bars,
  );
}

function numbersTable(days: Days, states: OrderState[], titleText: string): HTMLTableElement {
  return h(
    'table',
    { className: 'data-table compact' },
    h('caption', {}, titleText),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Day (UTC)'),
        states.map((s) => h('th', { scope: 'col' }, s)),
      ),
    ),
    h(
      'tbody',
      {},
      days.map((d) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, shortDay(d.day)),
          states.map((s) => h('td', { className: 'num' }, d.entered[s])),
        ),
      ),
    ),
    h(
      'tfoot',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, 'Total'),
        states.map((s) =>
          h(
            'td',
            { className: 'num' },
            days.reduce((n, d) => n + d.entered[s], 0),
          ),
        ),
      ),
    ),
  );
}

/**
 * Stacked bars of the orders entering each state per day, with a legend, and the same numbers as
 * a table for anyone who cannot see the chart or wants exact values.
 */
export function stateChart(days: Days, titleText: string): HTMLElement {
  const states = ORDER_STATES.filter((s) => days.some((d) => d.entered[s] > 0));
  if (states.length === 0) return h('p', { className: 'empty' }, 'No order changed state in this period.');
  return h(
    'figure',
    { className: 'chart-figure' },
    chartSvg(days, states, titleText),
    h(
      'ul',
      { className: 'legend', 'aria-label': 'Legend' },
      states.map((s) => h('li', {}, h('span', { className: `swatch swatch-${s}`, 'aria-hidden': 'true' }), s)),
    ),
    h('details', { className: 'chart-table' }, h('summary', {}, 'Show the numbers as a table'), numbersTable(days, states, titleText)),
  );
}
