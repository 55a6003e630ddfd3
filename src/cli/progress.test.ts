import { describe, expect, it } from 'vitest';
import { createProgressLine } from './progress.ts';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, columns: 60, written, write: (t: string) => void written.push(t) };
}

describe('progress line', () => {
  it('when stderr is a terminal, then a bar with done/total is drawn and erased at the end', () => {
    const tty = stream(true);
    const line = createProgressLine(tty, 'orders');
    line.update(50, 100, '1 page(s)');
    line.finish();
    expect(tty.written[0]).toBe(`\rorders ${'█'.repeat(12)}${'░'.repeat(12)} 50/100, 1 page(s)\x1b[K`);
    expect(tty.written.at(-1)).toBe('\r\x1b[K');
  });

  it('when output is not a terminal (a pipe, a log), then nothing is written', () => {
    const pipe = stream(false);
    const line = createProgressLine(pipe, 'orders');
    line.update(1, 2, '');
    line.finish();
    expect(pipe.written).toEqual([]);
  });
});
