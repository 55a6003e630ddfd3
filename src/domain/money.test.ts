import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMinorUnits, isExactAtScale, parseDecimal, roundHalfAwayFromZero, toMinorUnits } from './money.ts';

describe('money', () => {
  it.each([
    ['12.30', 1230],
    ['0.9', 90],
    ['.5', 50],
    ['7', 700],
    ['-3.455', -346],
    ['3.445', 345],
    ['1.005', 101],
    ['0.004999', 0],
    [19.99, 1999],
    [0.1 + 0.2, 30],
    ['  4.10 ', 410],
  ] as const)('when %j is read, then it is %i minor units', (text, minor) => {
    expect(toMinorUnits(text)).toBe(minor);
  });

  it.each(['', '.', 'abc', '1,50', '1.2.3', '£5', 'NaN', '1e3'])('when %j is read, then it is refused', (text) => {
    expect(() => parseDecimal(text)).toThrow(/is not a decimal amount/);
  });

  it('when a number is not finite, then it is refused', () => {
    expect(() => parseDecimal(Number.POSITIVE_INFINITY)).toThrow();
  });

  it('when amounts have extra decimals, then exactness is reported', () => {
    expect(isExactAtScale('1.2300')).toBe(true);
    expect(isExactAtScale('1.2345')).toBe(false);
  });

  it('when any amount is formatted and read back, then it is unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (minor) => {
        expect(toMinorUnits(formatMinorUnits(minor))).toBe(minor);
      }),
    );
  });

  it('when rounding, then halves go away from zero and nothing else moves more than half a unit', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 3, max: 6 }), (units, scale) => {
        const rounded = roundHalfAwayFromZero({ units, scale }, 2);
        const back = rounded * 10n ** BigInt(scale - 2);
        const diff = units - back;
        const half = 5n * 10n ** BigInt(scale - 3);
        expect(diff <= half && diff >= -half).toBe(true);
      }),
    );
  });
});
