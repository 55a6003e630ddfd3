import { baseModifiedSec, type GeneratorConfig, orderIdOf, orderIndexOf } from './generator-config.ts';
import { hashInts } from './random.ts';

/**
 * The sandbox's orders sorted by modification time without materialising them: generated orders
 * are modified in index order (a monotone function of the index), and the few orders changed while
 * running ("overrides") are merged in. Orders sharing a second are ordered by a per-request salt,
 * the way MySQL returns ties of a non-unique ORDER BY in no promised order.
 */
export interface TimelineOverride {
  id: number;
  /** Modification second used for sorting; undefined for a deleted order. */
  sec: number | undefined;
}

export interface SecondsWindow {
  /** Exclusive lower bound in epoch seconds (fractions allowed). */
  after?: number;
  /** Exclusive upper bound. */
  before?: number;
}

export class OrderTimeline {
  /** id → override, for generated ids replaced or deleted and for orders created later. */
  private readonly overrides = new Map<number, TimelineOverride>();

  constructor(private readonly config: GeneratorConfig) {}

  setOverride(id: number, sec: number | undefined): void {
    this.overrides.set(id, { id, sec });
  }

  isOverridden(id: number): boolean {
    return this.overrides.has(id);
  }

  /** First generated index whose base second satisfies `sec > bound` (or ≥ when inclusive). */
  private firstIndex(bound: number, inclusive: boolean): number {
    let lo = 0;
    let hi = this.config.orders;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const sec = baseModifiedSec(this.config, mid);
      if (inclusive ? sec >= bound : sec > bound) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private baseRange(window: SecondsWindow): [number, number] {
    const lo = window.after === undefined ? 0 : this.firstIndex(window.after, false);
    const hi = window.before === undefined ? this.config.orders : this.firstIndex(window.before, true);
    return [lo, Math.max(lo, hi)];
  }

  private inWindow(sec: number, window: SecondsWindow): boolean {
    return (window.after === undefined || sec > window.after) && (window.before === undefined || sec < window.before);
  }

  /** Live overrides in the window, sorted by second. */
  private liveOverrides(window: SecondsWindow): TimelineOverride[] {
    return [...this.overrides.values()].filter((o) => o.sec !== undefined && this.inWindow(o.sec, window)).sort((a, b) => a.sec! - b.sec!);
  }

  /** How many orders are in the window. */
  count(window: SecondsWindow): number {
    const [lo, hi] = this.baseRange(window);
    let replaced = 0;
    for (const id of this.overrides.keys()) {
      const index = orderIndexOf(this.config, id);
      if (index !== undefined && index >= lo && index < hi) replaced++;
    }
    return hi - lo - replaced + this.liveOverrides(window).length;
  }

  /** Every order id in the window (for filtered queries), unsorted. */
  ids(window: SecondsWindow): number[] {
    const [lo, hi] = this.baseRange(window);
    const out: number[] = [];
    for (let i = lo; i < hi; i++) {
      const id = orderIdOf(this.config, i);
      if (!this.overrides.has(id)) out.push(id);
    }
    for (const o of this.liveOverrides(window)) out.push(o.id);
    return out;
  }

  /** The second an order is sorted by, or undefined when it does not exist. */
  secondOf(id: number): number | undefined {
    const override = this.overrides.get(id);
    if (override) return override.sec;
    const index = orderIndexOf(this.config, id);
    return index === undefined ? undefined : baseModifiedSec(this.config, index);
  }

  /**
   * Ids ordered by (modification second, tie key), ascending, from `offset`, at most `limit`.
   * Whole seconds are skipped by counting, so a deep offset costs little.
   */
  pageByModified(window: SecondsWindow, offset: number, limit: number, tieSalt: number): number[] {
    const [lo, hi] = this.baseRange(window);
    const overrides = this.liveOverrides(window);
    const replacedBySec = new Map<number, number>();
    for (const id of this.overrides.keys()) {
      const index = orderIndexOf(this.config, id);
      if (index === undefined || index < lo || index >= hi) continue;
      const sec = baseModifiedSec(this.config, index);
      replacedBySec.set(sec, (replacedBySec.get(sec) ?? 0) + 1);
    }
    const out: number[] = [];
    let skip = offset;
    let i = lo;
    let j = 0;
    while (out.length < limit && (i < hi || j < overrides.length)) {
      const baseSec = i < hi ? baseModifiedSec(this.config, i) : Infinity;
      const overrideSec = j < overrides.length ? overrides[j]!.sec! : Infinity;
      const sec = Math.min(baseSec, overrideSec);
      const groupEnd = baseSec === sec ? Math.min(hi, this.firstIndex(sec, false)) : i;
      let k = j;
      while (k < overrides.length && overrides[k]!.sec === sec) k++;
      const size = groupEnd - i - (baseSec === sec ? (replacedBySec.get(sec) ?? 0) : 0) + (k - j);
      if (skip >= size) {
        skip -= size;
      } else {
        const group: number[] = [];
        for (let x = i; x < groupEnd; x++) {
          const id = orderIdOf(this.config, x);
          if (!this.overrides.has(id)) group.push(id);
        }
        for (let x = j; x < k; x++) group.push(overrides[x]!.id);
        group.sort((a, b) => tieKey(a, tieSalt) - tieKey(b, tieSalt) || a - b);
        for (const id of group.slice(skip)) {
          if (out.length >= limit) break;
          out.push(id);
        }
        skip = 0;
      }
      i = groupEnd;
      j = k;
    }
    return out;
  }
}

export function tieKey(id: number, salt: number): number {
  return salt === 0 ? id : hashInts(salt, id);
}
