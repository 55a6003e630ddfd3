import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateToTotal, distanceInMinor, exact, exactFromMinor, floorMinor, formatExact, isWholeMinor, roundMinor } from './exact.ts';
import { itemTax, solveGroup, splitNet } from './rounding-solver.ts';
import { sageLineNet, sageTotals } from './sage-arithmetic.ts';
import { lineTax, parseTaxRate, sameRate } from './tax-rate.ts';

describe('tax rates', () => {
  it('when a percentage is read, then it is kept as given and as the smallest exact fraction', () => {
    expect(parseTaxRate('17.5')).toEqual({ percent: '17.5', num: 7, den: 40 });
    expect(parseTaxRate(20)).toEqual({ percent: '20', num: 1, den: 5 });
    expect(parseTaxRate('20.0000')).toEqual({ percent: '20.0000', num: 1, den: 5 });
    expect(parseTaxRate('0')).toEqual({ percent: '0', num: 0, den: 1 });
    expect(parseTaxRate('0.000001')).toEqual({ percent: '0.000001', num: 1, den: 100_000_000 });
  });

  it('when a percentage is negative or finer than a millionth, then it is refused naming it', () => {
    expect(() => parseTaxRate('-5')).toThrow(new RangeError('-5 is not a tax percentage'));
    expect(() => parseTaxRate('0.0000001')).toThrow('0.0000001 is not a tax percentage');
  });

  it('two rates are the same when their fractions are, whatever their text', () => {
    expect(sameRate(parseTaxRate('20'), parseTaxRate('20.00'))).toBe(true);
    expect(sameRate(parseTaxRate('20'), parseTaxRate('5'))).toBe(false); // 1/5 and 1/20: same numerator
    expect(sameRate(parseTaxRate('20'), parseTaxRate('40'))).toBe(false); // 1/5 and 2/5: same denominator
  });
});

describe('lineTax', () => {
  it('when VAT is computed per line, then it is rounded to the nearest penny and half pennies are flagged', () => {
    const t20 = parseTaxRate('20');
    const t5 = parseTaxRate('5');
    expect(lineTax(82, t20)).toEqual({ tax: 16, tie: false }); // 16.4
    expect(lineTax(83, t20)).toEqual({ tax: 17, tie: false }); // 16.6
    expect(lineTax(10, t5)).toEqual({ tax: 1, tie: true }); // 0.5
    expect(lineTax(-250, t20)).toEqual({ tax: -50, tie: false });
    expect(lineTax(123, parseTaxRate('17.5'))).toEqual({ tax: 22, tie: false }); // 21.525
    expect(lineTax(9_007_199_254_740, t20).tax).toBe(1_801_439_850_948);
  });

  it('when the net or the rate is zero, then there is no VAT and no tie', () => {
    expect(lineTax(0, parseTaxRate('20'))).toEqual({ tax: 0, tie: false });
    expect(lineTax(1234, parseTaxRate('0'))).toEqual({ tax: 0, tie: false });
  });

  it('when half-way VAT is negative, then it is rounded away from zero like a positive one', () => {
    const t5 = parseTaxRate('5');
    expect(lineTax(-10, t5)).toEqual({ tax: -1, tie: true });
    expect(lineTax(-9, t5).tax === 0 && !lineTax(-9, t5).tie).toBe(true); // -0.45
    expect(lineTax(-11, t5)).toEqual({ tax: -1, tie: false }); // -0.55
    expect(lineTax(9, t5)).toEqual({ tax: 0, tie: false });
    expect(lineTax(11, t5)).toEqual({ tax: 1, tie: false });
  });

  it('when net × rate is beyond exact floating point, then the VAT is computed exactly in big integers', () => {
    const odd = parseTaxRate('17.5'); // 7/40
    const limit = Math.floor(Number.MAX_SAFE_INTEGER / 7);
    // Both sides of the switch to big integers give the exact half-up result.
    // 1286742750677317 × 7 is not a float: computed in floating point its VAT would be a penny more and a tie.
    for (const net of [limit - 1, limit, limit + 1, 1286742750677317, Number.MAX_SAFE_INTEGER - 1]) {
      const exactTax = (BigInt(net) * 7n * 2n + 40n) / 80n;
      const tie = (BigInt(net) * 7n * 2n) % 80n === 40n;
      expect(lineTax(net, odd)).toEqual({ tax: Number(exactTax), tie });
      expect(lineTax(-net, odd)).toEqual({ tax: -Number(exactTax), tie });
    }
  });
});

describe('sageTotals', () => {
  it('when lines are added up as Sage does, then each VAT is rounded per line and every half-penny VAT is counted as a tie', () => {
    const t5 = parseTaxRate('5');
    const t20 = parseTaxRate('20');
    const lines = [
      { quantity: 1, unitPrice: 10, discount: 0, taxRate: t5 }, // 0.5: a tie, rounded up
      { quantity: 3, unitPrice: 30, discount: 0, taxRate: t5 }, // 4.5: a tie
      { quantity: 2, unitPrice: 41, discount: 0, taxRate: t20 }, // 16.4
    ];
    expect(sageTotals(lines, 'lineDiscount')).toEqual({ net: 182, tax: 22, gross: 204, ties: 2 });
    expect(sageTotals(lines.slice(2), 'lineDiscount').ties).toBe(0);
  });

  it('when a line carries a discount, then unitDiscount takes it once per unit and the other modes once per line', () => {
    const line = { quantity: 3, unitPrice: 1000, discount: 100 };
    expect(sageLineNet(line, 'unitDiscount')).toBe(2700);
    expect(sageLineNet(line, 'lineDiscount')).toBe(2900);
    expect(sageLineNet(line, 'unambiguous')).toBe(2900);
  });
});

describe('allocateToTotal', () => {
  it('when exact amounts are rounded to a total, then the pennies go to the amounts that lost most', () => {
    expect(allocateToTotal([exact('8.333333'), exact('8.333333'), exact('8.333334')], 2500)).toEqual([833, 833, 834]);
    expect(allocateToTotal([exact('0.825')], 82)).toEqual([82]);
    expect(allocateToTotal([exact('1.004'), exact('2.001')], 302)).toEqual([101, 201]);
    expect(allocateToTotal([exact('1.004'), exact('2.001')], 301)).toEqual([101, 200]);
  });

  it('when any amounts are allocated to their rounded sum, then the result adds up and each is within a penny', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), { minLength: 1, maxLength: 20 }), (values) => {
        const sum = values.reduce((a, b) => a + b, 0n);
        const target = floorMinor(sum) + (sum % 10n ** 10n === 0n ? 0 : 1);
        const result = allocateToTotal(values, target);
        expect(result.reduce((a, b) => a + b, 0)).toBe(target);
        result.forEach((r, i) => expect(Math.abs(r - floorMinor(values[i]!))).toBeLessThanOrEqual(1));
      }),
    );
  });

  it('when an exact amount is shown, then trailing zeros are dropped', () => {
    expect(formatExact(exact('8.3300'))).toBe('8.33');
    expect(formatExact(exact('-2'))).toBe('-2');
    expect(formatExact(exact('8.333333'))).toBe('8.333333');
    expect(formatExact(exact('10.5'))).toBe('10.5');
    expect(formatExact(exact('100'))).toBe('100');
    expect(formatExact(exact('0.000000000001'))).toBe('0.000000000001');
    expect(formatExact(exact('-0.101'))).toBe('-0.101');
  });

  it('when pennies are shared out equally well, then the larger amount gets the penny first, then the earlier one', () => {
    // Both lose 0.5p: the larger amount is rounded up.
    expect(allocateToTotal([exact('1.005'), exact('2.005')], 301)).toEqual([100, 201]);
    expect(allocateToTotal([exact('2.005'), exact('1.005')], 301)).toEqual([201, 100]);
    // Same loss, same size: the earlier one.
    expect(allocateToTotal([exact('1.005'), exact('1.005')], 201)).toEqual([101, 100]);
    // A negative amount's size counts as its magnitude.
    expect(allocateToTotal([exact('1.005'), exact('-2.995')], -199)).toEqual([100, -299]);
  });

  it('when pennies must be taken away, then they come from the amounts that lost least, the larger first', () => {
    expect(allocateToTotal([exact('1.001'), exact('2.009')], 299)).toEqual([99, 200]);
    expect(allocateToTotal([exact('2.001'), exact('1.001')], 299)).toEqual([199, 100]);
    expect(allocateToTotal([exact('1.001'), exact('1.001')], 199)).toEqual([99, 100]);
    expect(allocateToTotal([exact('1.009'), exact('2.001')], 299)).toEqual([100, 199]);
    expect(allocateToTotal([exact('1.001'), exact('2.001')], 299)).toEqual([100, 199]);
    // More pennies than amounts: round and round.
    expect(allocateToTotal([exact('1'), exact('1')], 196)).toEqual([98, 98]);
    expect(allocateToTotal([exact('1'), exact('1')], 205)).toEqual([103, 102]);
  });

  it('when there is nothing to share out, then there is no amount, whatever the target', () => {
    expect(allocateToTotal([], 0)).toEqual([]);
    expect(allocateToTotal([], 3)).toEqual([]);
  });

  it('exact amounts to minor units: down, to the nearest (half away from zero), whole or not, and how far apart (rounded up)', () => {
    expect([floorMinor(exact('1.239')), floorMinor(exact('-1.231')), floorMinor(exact('-1.23')), floorMinor(0n)]).toEqual([
      123, -124, -123, 0,
    ]);
    expect([roundMinor(exact('1.235')), roundMinor(exact('1.2349')), roundMinor(exact('-1.235'))]).toEqual([124, 123, -124]);
    expect([isWholeMinor(exact('1.23')), isWholeMinor(exact('1.2301')), isWholeMinor(exact('-5'))]).toEqual([true, false, true]);
    expect(exactFromMinor(-123)).toBe(exact('-1.23'));
    expect(distanceInMinor(exact('1.00'), exact('1.00'))).toBe(0);
    expect(distanceInMinor(exact('1.00'), exact('1.0000001'))).toBe(1);
    expect(distanceInMinor(exact('1.0000001'), exact('1.00'))).toBe(1);
    expect(distanceInMinor(exact('1.00'), exact('1.03'))).toBe(3);
    expect(distanceInMinor(exact('-1.00'), exact('1.03'))).toBe(203);
    expect(distanceInMinor(exact('1.031'), exact('1.00'))).toBe(4);
  });
});

describe('splitNet and solveGroup', () => {
  it('when a net does not divide by the quantity, then two whole-penny unit prices add up to it', () => {
    expect(splitNet(1000, 3)).toEqual([
      { quantity: 2, unitNet: 333 },
      { quantity: 1, unitNet: 334 },
    ]);
    expect(splitNet(-7, 1)).toEqual([{ quantity: 1, unitNet: -7 }]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 50 }), (net, q) => {
        const parts = splitNet(net, q);
        expect(parts.reduce((s, p) => s + p.quantity * p.unitNet, 0)).toBe(net);
        expect(parts.reduce((s, p) => s + p.quantity, 0)).toBe(q);
      }),
    );
  });

  it('when the VAT already matches, then nothing changes; when it does not, pennies move into rounding lines without changing the net', () => {
    const rate = parseTaxRate('20');
    const single = (net: number, quantity = 1) => ({
      net,
      lineNets: (n: number) => splitNet(n, quantity).map((p) => p.quantity * p.unitNet),
    });
    expect(solveGroup({ items: [single(1000)], rate, targetTax: 200 })).toEqual({ nets: [1000], roundingLines: [] });
    const solved = solveGroup({ items: [single(82)], rate, targetTax: 17 })!;
    expect(solved.nets[0]! + solved.roundingLines.reduce((a, b) => a + b, 0)).toBe(82);
    const tax = itemTax(solved.nets[0]!, 1, rate).tax + solved.roundingLines.reduce((s, m) => s + lineTax(m, rate).tax, 0);
    expect(tax).toBe(17);
  });

  it('when a net lies between two pennies, then the other penny is chosen before any rounding line', () => {
    const rate = parseTaxRate('20');
    const items = [
      { net: 82, alternative: 83, lineNets: (n: number) => [n] },
      { net: 1001, alternative: 1000, lineNets: (n: number) => [n] },
    ];
    // As given: 16.4 → 16 and 200.2 → 200 = 216. Swapping the pennies: 16.6 → 17 and 200 = 217.
    expect(solveGroup({ items, rate, targetTax: 217 })).toEqual({ nets: [83, 1000], roundingLines: [] });
  });
});
