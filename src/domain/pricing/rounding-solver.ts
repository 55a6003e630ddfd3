import { lineTax, type TaxRate } from './tax-rate.ts';

/**
 * Sage computes VAT per line from the line's net; WooCommerce computes it per line or per order,
 * from prices with or without tax. This module chooses line nets (all at one tax rate) whose Sage
 * VAT adds up to WooCommerce's exactly, without changing the group's net total:
 *  1. where WooCommerce's net lies between two pennies, pick the penny above or below (free);
 *  2. otherwise move a few pennies out of one line (the donor) into explicit rounding lines, whose
 *     own rounding brings the VAT to the target.
 * A line whose exact VAT is exactly half a penny is never emitted: Sage may round it either way.
 */

export interface Part {
  quantity: number;
  unitNet: number;
}

/**
 * A net spread over whole units at whole-penny unit prices: 10.00 for 3 is 2 × 3.33 + 1 × 3.34.
 * Sage only multiplies quantity by unit price, so each part is one Sage line.
 */
export function splitNet(net: number, quantity: number): Part[] {
  if (quantity === 1) return [{ quantity: 1, unitNet: net }];
  const base = Math.floor(net / quantity);
  const rest = net - base * quantity;
  if (rest === 0) return [{ quantity, unitNet: base }];
  return [
    { quantity: quantity - rest, unitNet: base },
    { quantity: rest, unitNet: base + 1 },
  ];
}

export interface ItemTax {
  tax: number;
  tie: boolean;
}

/** VAT Sage computes for an item whose Sage lines have these nets. */
export function linesTax(lineNets: readonly number[], rate: TaxRate): ItemTax {
  let tax = 0;
  let tie = false;
  for (const net of lineNets) {
    const t = lineTax(net, rate);
    tax += t.tax;
    tie ||= t.tie;
  }
  return { tax, tie };
}

/** VAT for an item of `quantity` units written as whole-penny unit prices (see splitNet). */
export function itemTax(net: number, quantity: number, rate: TaxRate): ItemTax {
  return linesTax(
    splitNet(net, quantity).map((p) => p.quantity * p.unitNet),
    rate,
  );
}

export interface SolverItem {
  /** The nets of the Sage lines this item becomes when its net is `net`. */
  lineNets(net: number): number[];
  /** The net chosen so far (minor units). */
  net: number;
  /** Another net as faithful to WooCommerce (its exact value lies between the two). */
  alternative?: number;
}

export interface GroupProblem {
  items: readonly SolverItem[];
  rate: TaxRate;
  targetTax: number;
}

export interface GroupSolution {
  nets: number[];
  /** Nets of extra rounding lines at the group's tax code (empty when none were needed). */
  roundingLines: number[];
}

export interface SolverLimits {
  /** Most rounding lines per tax code. */
  maxRoundingLines: number;
  /** Largest net of one rounding line, in minor units. */
  maxRoundingLineNet: number;
  /** How many of the largest lines may give pennies to rounding lines. */
  maxDonors: number;
}

export const DEFAULT_LIMITS: SolverLimits = { maxRoundingLines: 6, maxRoundingLineNet: 100, maxDonors: 8 };

interface ItemState {
  /** Pennies given to rounding lines so far (negative: taken from them). */
  given: number;
  /** VAT so far, relative to every item at its first net. */
  delta: number;
  /** Whether an item whose WooCommerce net is a whole penny has been changed. */
  touched: boolean;
  changes: number;
  prev: ItemState | null;
  net: number;
}

interface LineNode {
  sum: number;
  tax: number;
  last: number;
  prev: LineNode | null;
}

/**
 * Chooses each item's net and the rounding lines, searching (by dynamic programming) the fewest
 * rounding lines first, then the fewest pennies moved, then the fewest items changed:
 * - an item whose WooCommerce net lies between two pennies may take the other penny (free);
 * - the largest items may give up to one rate period of pennies (5p at 20%, 20p at 5%) to rounding
 *   lines, and an item whose VAT would be exactly half a penny must give one to three;
 * - with no rounding line, only the free choices are allowed: whole-penny nets stay as they are.
 */
export function solveGroup({ items, rate, targetTax }: GroupProblem, limits: SolverLimits = DEFAULT_LIMITS): GroupSolution | null {
  const period = Math.max(1, Math.min(rate.den, limits.maxRoundingLineNet));
  const maxSum = limits.maxRoundingLines * period;
  const first = items.map((item) => linesTax(item.lineNets(item.net), rate));
  const reference = first.map((t) => t.tax);
  if (first.every((t) => !t.tie) && reference.reduce((a, b) => a + b, 0) === targetTax) {
    return { nets: items.map((item) => item.net), roundingLines: [] };
  }
  const donors = new Set(
    items
      .map((item, i) => ({ net: item.net, i }))
      .filter((d) => d.net > 0)
      .sort((a, b) => b.net - a.net || a.i - b.i)
      .slice(0, limits.maxDonors)
      .map((d) => d.i),
  );

  let states = new Map<string, ItemState>([['0:0:0', { given: 0, delta: 0, touched: false, changes: 0, prev: null, net: 0 }]]);
  for (const [i, item] of items.entries()) {
    const options = new Map<number, boolean>([[item.net, false]]);
    if (item.alternative !== undefined) options.set(item.alternative, false);
    const baseTie = first[i]!.tie;
    const reach = donors.has(i) ? period : baseTie ? 3 : 0;
    for (let give = 1; give <= reach && item.net - give >= 0; give += 1) {
      if (!options.has(item.net - give)) options.set(item.net - give, true);
    }
    const choices = [...options].flatMap(([net, touches]) => {
      const t = linesTax(item.lineNets(net), rate);
      return t.tie ? [] : [{ net, touches, given: item.net - net, delta: t.tax - reference[i]! }];
    });
    if (choices.length === 0) return null;
    const next = new Map<string, ItemState>();
    for (const state of states.values()) {
      for (const choice of choices) {
        const given = state.given + choice.given;
        if (given > maxSum || given < -items.length) continue;
        const touched = state.touched || choice.touches;
        const changes = state.changes + (choice.net === item.net ? 0 : 1);
        const key = `${given}:${state.delta + choice.delta}:${touched ? 1 : 0}`;
        const seen = next.get(key);
        if (!seen || seen.changes > changes) {
          next.set(key, { given, delta: state.delta + choice.delta, touched, changes, prev: state, net: choice.net });
        }
      }
    }
    states = next;
  }

  const lineOptions: Array<{ net: number; tax: number }> = [];
  for (let m = 1; m <= period; m += 1) {
    const t = lineTax(m, rate);
    if (!t.tie) lineOptions.push({ net: m, tax: t.tax });
  }
  const wanted = targetTax - reference.reduce((a, b) => a + b, 0);
  let layer = new Map<string, LineNode>([['0:0', { sum: 0, tax: 0, last: 0, prev: null }]]);
  for (let k = 0; k <= limits.maxRoundingLines; k += 1) {
    if (k > 0) layer = extend(layer, lineOptions, maxSum);
    const candidates = [...layer.values()].sort((a, b) => a.sum - b.sum);
    for (const node of candidates) {
      const state = pick(states, node.sum, wanted - node.tax, k > 0);
      if (!state) continue;
      const nets = new Array<number>(items.length);
      let cursor: ItemState | null = state;
      for (let i = items.length - 1; i >= 0 && cursor; i -= 1) {
        nets[i] = cursor.net;
        cursor = cursor.prev;
      }
      const roundingLines: number[] = [];
      for (let line: LineNode | null = node; line && line.prev; line = line.prev) roundingLines.unshift(line.last);
      return { nets, roundingLines };
    }
  }
  return null;
}

function pick(states: Map<string, ItemState>, given: number, delta: number, withLines: boolean): ItemState | undefined {
  const untouched = states.get(`${given}:${delta}:0`);
  const touched = withLines ? states.get(`${given}:${delta}:1`) : undefined;
  if (untouched && touched) return untouched.changes <= touched.changes ? untouched : touched;
  return untouched ?? touched;
}

function extend(layer: Map<string, LineNode>, options: ReadonlyArray<{ net: number; tax: number }>, maxSum: number): Map<string, LineNode> {
  const next = new Map<string, LineNode>();
  for (const node of layer.values()) {
    for (const option of options) {
      if (option.net < node.last) continue; // ascending lines: each multiset is built once
      const sum = node.sum + option.net;
      if (sum > maxSum) break;
      const key = `${sum}:${node.tax + option.tax}`;
      const seen = next.get(key);
      // Keep the path with the smallest last line: it can be extended by the most lines.
      if (!seen || seen.last > option.net) next.set(key, { sum, tax: node.tax + option.tax, last: option.net, prev: node });
    }
  }
  return next;
}
