import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, solveGroup, type SolverLimits } from './rounding-solver.ts';
import { parseTaxRate } from './tax-rate.ts';

// Which line gives the pennies is visible on the invoice (its unit price moves), so the solver's
// choice is pinned down here, not just that some answer adds up.
const rate20 = parseTaxRate('20');
const rate5 = parseTaxRate('5');
const item = (net: number, alternative?: number) => ({ net, alternative, lineNets: (n: number) => [n] });
const donors = (maxDonors: number): SolverLimits => ({ ...DEFAULT_LIMITS, maxDonors });

describe('solveGroup: who gives the pennies', () => {
  it('when only the largest lines may give pennies, then a smaller line that alone could fix the VAT is not asked', () => {
    // 0.82 at 20% is 0.164 → 0.16; 0.79 + a 0.03 rounding line is 0.158 → 0.16 and 0.006 → 0.01.
    // 10.00 is a whole 2.00 of VAT and cannot gain a penny by giving any.
    expect(solveGroup({ items: [item(1000), item(82)], rate: rate20, targetTax: 217 }, donors(1))).toBeNull();
    expect(solveGroup({ items: [item(1000), item(82)], rate: rate20, targetTax: 217 }, donors(2))).toEqual({
      nets: [1000, 79],
      roundingLines: [3],
    });
    expect(solveGroup({ items: [item(50), item(82)], rate: rate20, targetTax: 27 }, donors(1))).toEqual({
      nets: [50, 79],
      roundingLines: [3],
    });
  });

  it('when lines are equally large, then the earliest gives the pennies', () => {
    expect(solveGroup({ items: [item(82), item(82)], rate: rate20, targetTax: 33 }, donors(1))).toEqual({
      nets: [79, 82],
      roundingLines: [3],
    });
    expect(solveGroup({ items: [item(82), item(82), item(82)], rate: rate20, targetTax: 49 }, donors(1))).toEqual({
      nets: [79, 82, 82],
      roundingLines: [3],
    });
  });

  it('when a line that may not give pennies has an exact half-penny VAT, then it still gives one to three', () => {
    // 0.10 at 5% is exactly 0.005: never written; 0.09 and a 0.01 rounding line are 0 VAT each.
    expect(solveGroup({ items: [item(10)], rate: rate5, targetTax: 0 }, donors(0))).toEqual({ nets: [9], roundingLines: [1] });
  });

  it('when the VAT needs several rounding lines, then they are as few as possible, smallest first', () => {
    // 0.82 → 0.77 (0.154 → 0.15) and 0.01 + 0.02 + 0.02, each 0 VAT: 0.15 in all.
    expect(solveGroup({ items: [item(82)], rate: rate20, targetTax: 15 })).toEqual({ nets: [77], roundingLines: [1, 2, 2] });
    expect(solveGroup({ items: [item(82)], rate: rate20, targetTax: 18 })).toBeNull();
  });

  it('when rounding lines are limited in number or size, then no answer breaks the limits', () => {
    const limits = (maxRoundingLines: number, maxRoundingLineNet: number) => ({ maxRoundingLines, maxRoundingLineNet, maxDonors: 8 });
    expect(solveGroup({ items: [item(82)], rate: rate20, targetTax: 17 }, limits(1, 3))).toEqual({ nets: [79], roundingLines: [3] });
    expect(solveGroup({ items: [item(82)], rate: rate20, targetTax: 17 }, limits(1, 2))).toBeNull();
    expect(solveGroup({ items: [item(82)], rate: rate20, targetTax: 15 }, limits(2, 100))).toBeNull();
    expect(solveGroup({ items: [item(82)], rate: rate20, targetTax: 15 }, limits(3, 100))).toEqual({
      nets: [77],
      roundingLines: [1, 2, 2],
    });
  });

  it('when a negative line’s VAT is far from the target, then there is no answer', () => {
    expect(solveGroup({ items: [item(-500)], rate: rate20, targetTax: 100 })).toBeNull();
  });
});
