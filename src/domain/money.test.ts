import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatDecimal,
  formatMinorUnits,
  isDecimalText,
  isExactAtScale,
  parseDecimal,
  rescaleExact,
  roundHalfAwayFromZero,
  toMinorUnits,
} from './money.ts';

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
    expect(isExactAtScale('1.5')).toBe(true);
    expect(isExactAtScale('7')).toBe(true);
  });

  it('when text is read, then the exact decimal keeps its sign, leading zeros add nothing and trailing ones keep the scale', () => {
    expect(parseDecimal('-007.50')).toEqual({ units: -750n, scale: 2 });
    expect(parseDecimal('+0.05')).toEqual({ units: 5n, scale: 2 });
    expect(parseDecimal('-0')).toEqual({ units: 0n, scale: 0 });
  });

  it('when a number is read, then its shortest decimal text is used, not its binary expansion', () => {
    expect(parseDecimal(19.99)).toEqual({ units: 1999n, scale: 2 });
    expect(parseDecimal(0.1)).toEqual({ units: 1n, scale: 1 });
    expect(parseDecimal(1e-7)).toEqual({ units: 1n, scale: 7 });
  });

  it('when a value is checked for being an amount, then only decimal text and finite numbers with a plain form pass', () => {
    expect(isDecimalText(' 4.10 ')).toBe(true);
    expect(isDecimalText('-.5')).toBe(true);
    expect(isDecimalText(12.5)).toBe(true);
    for (const bad of ['', '.', '-', 'abc', '1e3', Number.NaN, Number.POSITIVE_INFINITY, 1e21, null, undefined, {}]) {
      expect(isDecimalText(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('when an amount is beyond the safe integers, then it is refused rather than rounded; at the limit it is exact', () => {
    expect(toMinorUnits('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
    expect(toMinorUnits('-90071992547409.91')).toBe(Number.MIN_SAFE_INTEGER);
    expect(() => toMinorUnits('90071992547409.92')).toThrow(new RangeError('90071992547409.92 is too large an amount'));
    expect(() => toMinorUnits('-90071992547409.92')).toThrow(new RangeError('-90071992547409.92 is too large an amount'));
  });

  it('when an amount is rescaled exactly, then digits are never lost: more decimals pad, fewer refuse a remainder', () => {
    expect(rescaleExact({ units: 1234n, scale: 2 }, 4)).toBe(123400n);
    expect(rescaleExact({ units: 1230n, scale: 3 }, 2)).toBe(123n);
    expect(rescaleExact({ units: -500n, scale: 3 }, 1)).toBe(-5n);
    expect(rescaleExact({ units: 77n, scale: 2 }, 2)).toBe(77n);
    expect(() => rescaleExact({ units: 1234n, scale: 3 }, 2)).toThrow(new RangeError('1.234 has more than 2 decimals'));
  });

  it('when amounts are formatted, then small, negative and whole amounts read as people write them', () => {
    expect(formatMinorUnits(-5)).toBe('-0.05');
    expect(formatMinorUnits(5)).toBe('0.05');
    expect(formatMinorUnits(-1234)).toBe('-12.34');
    expect(formatMinorUnits(0)).toBe('0.00');
    expect(formatMinorUnits(12, 0)).toBe('12');
    expect(formatDecimal({ units: -7n, scale: 0 })).toBe('-7');
    expect(formatDecimal({ units: 7n, scale: 3 })).toBe('0.007');
  });

  it('when minor units are not an integer, then formatting refuses them rather than writing a fraction of a penny', () => {
    expect(() => formatMinorUnits(12.5)).toThrow(new RangeError('12.5 is not an integer amount of minor units'));
    expect(() => formatMinorUnits(Number.NaN)).toThrow(RangeError);
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
