import v8 from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived its last full collection, in percent.
 * By default V8 grows it up to 4× when collecting is cheap, and collecting is cheap here: a sync
 * holds 20–30 MB (its modules, a page and a chunk of orders) but let the heap reach 80–120 MB of
 * garbage between collections: a peak RSS of 225–260 MB for 10,000 orders. At 2× it is 165–195 MB,
 * for no CPU the bench can see (BENCHMARKS.md, "Peak RSS"). V8 reads the factor each time it sets
 * the next limit, so setting it as the process starts is enough.
 */
export const HEAP_GROWING_PERCENT = 100;

/**
 * Bounds the heap's growth for this process, unless Node's command line already sets it
 * (`node --heap-growing-percent=300 bin/woo-sage.js …`; NODE_OPTIONS cannot carry V8's flag).
 */
export function boundHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent(=|$)/.test(arg))) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
