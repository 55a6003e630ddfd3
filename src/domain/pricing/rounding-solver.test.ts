import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, solveGroup, splitNet, type SolverLimits } from './rounding-solver.ts';
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

/**
 * Groups found by comparing the solver with variants of itself (each case is one that a variant
 * answers differently): the answer is the one the rules give, and it is what the invoice shows.
 */
describe('solveGroup: its preferences, on groups of several lines', () => {
  const units = (net: number, quantity: number, alternative?: number) => ({
    net,
    alternative,
    lineNets: (n: number) => splitNet(n, quantity).map((p) => p.quantity * p.unitNet),
  });
  const rate10 = parseTaxRate('10');
  const rate175 = parseTaxRate('17.5');

  it('when only a whole-penny line could reach the VAT without a rounding line, then it is not changed: a rounding line is added instead', () => {
    // 1.17 for 3 would become 1.16 with 0.96 taking its upper penny: no rounding line, but a line
    // WooCommerce priced at a whole penny would change. A 0.01 rounding line is the honest answer.
    const items = [units(81, 1), units(95, 3, 96), units(27, 2), units(117, 3)];
    expect(solveGroup({ items, rate: rate10, targetTax: 33 })).toEqual({ nets: [81, 96, 26, 116], roundingLines: [1] });
  });

  it('when a line’s other penny alone reaches the VAT, then it is taken and nothing else moves', () => {
    const items = [units(1449, 3, 1448), units(57, 1), units(18, 3, 19), units(108, 1)];
    expect(solveGroup({ items, rate: rate175, targetTax: 285 })).toEqual({ nets: [1448, 57, 19, 108], roundingLines: [] });
  });

  it('when pennies must move, then as few lines as possible change: one donor gives them all', () => {
    const items = [units(24, 3, 23), units(611, 2, 610), units(152, 3)];
    expect(solveGroup({ items, rate: rate10, targetTax: 80 })).toEqual({ nets: [23, 606, 152], roundingLines: [6] });
  });

  it('when rounding lines are needed, then the fewest pennies move, and a line may give all it has', () => {
    const items = [units(1129, 3), units(37, 3, 36)];
    expect(solveGroup({ items, rate: rate175, targetTax: 202 })).toEqual({ nets: [1128, 22], roundingLines: [8, 8] });
    const small = [units(84, 2), units(-10, 3, -9), units(7, 1), units(976, 3, 977)];
    expect(solveGroup({ items: small, rate: rate5, targetTax: 55 })).toEqual({ nets: [73, -10, 0, 972], roundingLines: [11, 11] });
  });

  it('when two sets of rounding lines have the same net and VAT, then the one with the smaller largest line is built on (0.03 + 0.03, not 0.02 + 0.04)', () => {
    const items = [units(-27, 2), units(59, 3, 58), units(119, 2)];
    const limits = { maxRoundingLines: 5, maxRoundingLineNet: 5, maxDonors: 3 };
    expect(solveGroup({ items, rate: rate10, targetTax: 14 }, limits)).toEqual({ nets: [-27, 54, 114], roundingLines: [3, 3, 4] });
  });

  it('when a donor giving pennies changes fewer lines than taking the other penny on several, then the donor gives', () => {
    const items = [
      units(269, 1),
      units(103, 2),
      units(296, 1, 295),
      units(109, 1),
      units(41, 3, 40),
      units(792, 1),
      units(230, 1),
      units(81, 3, 80),
    ];
    expect(solveGroup({ items, rate: rate175, targetTax: 337 })).toEqual({
      nets: [269, 103, 296, 109, 41, 792, 230, 78],
      roundingLines: [3],
    });
  });

  it('when a line’s free penny and a whole-penny line’s penny would do equally, then the free penny is taken', () => {
    // 0.83 (exactly 0.825) may become 0.82; 10.03 may give a penny and become 10.02. Either, with a
    // 0.01 rounding line, brings the VAT from 2.18 to 2.17: the 10.03 WooCommerce priced keeps it.
    expect(solveGroup({ items: [item(83, 82), item(1003)], rate: rate20, targetTax: 217 })).toEqual({
      nets: [82, 1003],
      roundingLines: [1],
    });
  });
});
