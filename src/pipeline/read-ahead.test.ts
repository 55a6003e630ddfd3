import { describe, expect, it } from 'vitest';
import { readAhead } from './poll-orders.ts';

describe('readAhead', () => {
  it('when pages are read ahead, then they come in order and the next one is asked for while the current one is handled', async () => {
    const asked: number[] = [];
    async function* pages() {
      for (let page = 1; page <= 3; page++) {
        asked.push(page);
        yield page;
      }
    }
    const seen: Array<[number, number[]]> = [];
    for await (const page of readAhead(pages())) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push([page, [...asked]]);
    }
    expect(seen).toEqual([
      [1, [1, 2]],
      [2, [1, 2, 3]],
      [3, [1, 2, 3]],
    ]);
  });

  it('when a page read ahead fails, then the pages before it are handed out first and the failure comes at its turn', async () => {
    async function* pages() {
      yield 1;
      yield 2;
      throw new Error('store down');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const page of readAhead(pages())) seen.push(page);
      })(),
    ).rejects.toThrow('store down');
    expect(seen).toEqual([1, 2]);
  });

  it('when the reader stops early, then the source is closed', async () => {
    let closed = false;
    async function* pages() {
      try {
        for (let page = 1; ; page++) yield page;
      } finally {
        closed = true;
      }
    }
    for await (const page of readAhead(pages())) if (page === 2) break;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(closed).toBe(true);
  });
});
