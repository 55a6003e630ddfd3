import { describe, expect, it } from 'vitest';
import { ownValue } from './own-key.ts';

describe('ownValue', () => {
  it("when a key is the map's own, then its value is found, falsy values too", () => {
    expect(ownValue({ a: 1, zero: 0, empty: '' }, 'a')).toBe(1);
    expect(ownValue({ zero: 0 }, 'zero')).toBe(0);
    expect(ownValue({ empty: '' }, 'empty')).toBe('');
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'missing'])(
    'when the key is %s and not in the map, then nothing is found',
    (key) => {
      expect(ownValue<number>({ a: 1 }, key)).toBeUndefined();
    },
  );
});
