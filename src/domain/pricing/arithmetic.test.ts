import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateToTotal, exact, floorMinor, formatExact } from './exact.ts';
import { itemTax, solveGroup, splitNet } from './rounding-solver.ts';
import { sageLineNet, sageTotals } from './sage-arithmetic.ts';
import { lineTax, parseTaxRate } from './tax-rate.ts';

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
