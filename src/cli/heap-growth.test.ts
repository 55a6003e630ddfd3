import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { boundHeapGrowth, HEAP_GROWING_PERCENT } from './heap-growth.ts';

/**
 * A process shaped like a sync: a steady live set, and batches that live long enough to be promoted
 * to the old generation and then die. Returns whether the module bounded the growth and the peak
 * heap (MB) sampled as it ran.
 */
function churn(execArgv: string[]): { bounded: boolean; peakMb: number } {
  const script = `
    import { boundHeapGrowth } from './src/cli/heap-growth.ts';
    const bounded = boundHeapGrowth();
    const live = Array.from({ length: 300000 }, (_, i) => ({ i, s: 'x' + i }));
    const ring = new Array(40).fill(null);
    let peak = 0;
    for (let round = 0; round < 2500; round++) {
      ring[round % ring.length] = Array.from({ length: 2000 }, (_, i) => ({ i, round, t: 'order ' + i + round }));
      if (round % 10 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    process.stdout.write(JSON.stringify({ bounded, peakMb: Math.round(peak / 2 ** 20), live: live.length }));`;
  const run = spawnSync(process.execPath, [...execArgv, '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

describe('bounding the heap’s growth', () => {
  it('when nothing sets it, then the process keeps its heap near twice what it holds, where V8 alone lets it reach about four times', () => {
    expect(HEAP_GROWING_PERCENT).toBe(100);
    const bounded = churn([]);
    const operatorsChoice = churn(['--heap-growing-percent=300']);
    expect(bounded.bounded).toBe(true);
    expect(operatorsChoice.bounded).toBe(false);
    // Measured: about 85 MB against 160 MB.
    expect(bounded.peakMb).toBeLessThan(operatorsChoice.peakMb * 0.75);
  }, 60_000);

  it.each([
    [['--heap-growing-percent=300']],
    [['--heap_growing_percent', '300']],
    [['--max-old-space-size=512', '--heap-growing-percent=50']],
  ])('when the operator already set it on Node’s command line (%j), then it is left as given', (execArgv) => {
    expect(boundHeapGrowth(execArgv)).toBe(false);
  });
});
