import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/settings/schema.ts';
import { resolveTaxCode, type TaxCodeSettings, type TaxedThing, type TaxRatesOf } from '../../../src/domain/pricing/tax-codes.ts';

const settings = (taxCodes: Partial<TaxCodeSettings['taxCodes']> = {}, sageTaxRates = DEFAULT_SETTINGS.sageTaxRates): TaxCodeSettings => ({
  taxCodes: { ...DEFAULT_SETTINGS.taxCodes, ...taxCodes },
  sageTaxRates,
});

const VAT20: TaxRatesOf = { taxRates: [{ rateId: 1, label: 'VAT', ratePercent: 20 }] };

const thing = (over: Partial<TaxedThing> = {}): TaxedThing => ({
  label: 'line_items[0] "Mug"',
  field: 'line_items[0]',
  kind: 'product',
  taxClass: '',
  taxes: [{ rateId: 1, total: '2.00', subtotal: '2.00' }],
  ...over,
});

const codeOf = (result: ReturnType<typeof resolveTaxCode>) =>
  result.ok ? [result.taxCode, result.rateId, result.taxRate.percent] : result.hold.code;

describe("a line's Sage tax code", () => {
  it('when the rate id is mapped, then it wins over the class and the percentage', () => {
    const s = settings({ byRateId: { '1': 2 }, byClass: { standard: 5 } }, { ...DEFAULT_SETTINGS.sageTaxRates, '2': '20' });
    expect(codeOf(resolveTaxCode(VAT20, thing(), s))).toEqual([2, 1, '20']);
  });

  it('when only the class is mapped, then it is used; no class is "standard"', () => {
    const s = settings({ byClass: { standard: 1, reduced: 5 } });
    expect(codeOf(resolveTaxCode({ taxRates: [] }, thing(), s))).toEqual([1, 1, '20']);
    expect(codeOf(resolveTaxCode({ taxRates: [] }, thing({ taxClass: 'reduced', taxes: [{ rateId: 3, total: '0.5' }] }), s))).toEqual([
      5,
      3,
      '5',
    ]);
  });

  it('when shipping has a class mapping only for "standard", then shipping ignores it and goes by the percentage', () => {
    const s = settings({ byClass: { standard: 2 }, byPercent: { '5': 5 } }, { ...DEFAULT_SETTINGS.sageTaxRates, '2': '20' });
    const ship = thing({ kind: 'shipping', field: 'shipping_lines[0]', taxes: [{ rateId: 4, total: '0.05' }] });
    expect(codeOf(resolveTaxCode({ taxRates: [{ rateId: 4, label: 'Reduced', ratePercent: '5.0000' }] }, ship, s))).toEqual([5, 4, '5']);
  });

  it('when a percentage key is written otherwise ("20.00"), then it still matches; a key that is no percentage is passed over', () => {
    const s = settings({ byPercent: { abc: 7, '20.00': 1 } });
    expect(codeOf(resolveTaxCode({ taxRates: [{ rateId: 1, label: 'VAT', ratePercent: '20' }] }, thing(), s))).toEqual([1, 1, '20']);
  });

  it('when a line has no tax entry, or is a fee whose tax status is none, then it takes the untaxed code', () => {
    expect(codeOf(resolveTaxCode(VAT20, thing({ taxes: [] }), settings()))).toEqual([9, null, '0']);
    const fee = thing({ kind: 'fee', untaxed: true, taxes: [{ rateId: 1, total: '2.00' }] });
    expect(codeOf(resolveTaxCode(VAT20, fee, settings()))).toEqual([9, null, '0']);
  });

  it('when a line carries a zero entry of a rate, then that rate decides it (a zero-rated line is not untaxed)', () => {
    const zero = { taxRates: [{ rateId: 6, label: 'Zero', ratePercent: 0 }] };
    expect(codeOf(resolveTaxCode(zero, thing({ taxes: [{ rateId: 6, total: '0' }] }), settings()))).toEqual([0, 6, '0']);
  });

  it('when a line is charged at two rates, then it is held naming both; a zero entry beside a charged one does not count', () => {
    const two = thing({
      taxes: [
        { rateId: 1, total: '2' },
        { rateId: 2, total: '0', subtotal: '0.5' }, // a coupon took this rate's tax to zero: still charged before it
      ],
    });
    expect(resolveTaxCode(VAT20, two, settings())).toEqual({
      ok: false,
      hold: {
        code: 'MULTIPLE_TAX_RATES',
        message: 'line_items[0] "Mug" is taxed at 2 rates (ids 1, 2); a Sage line carries one tax code',
        field: 'line_items[0]',
        value: '1,2',
      },
    });
    const zeroBeside = thing({
      taxes: [
        { rateId: 2, total: '0' },
        { rateId: 1, total: '2' },
      ],
    });
    expect(codeOf(resolveTaxCode(VAT20, zeroBeside, settings()))).toEqual([1, 1, '20']);
  });

  it.each([
    [{ rateId: 7, label: 'Old VAT', ratePercent: 17.5 }, 'luxury', ' ("Old VAT" 17.5%), class "luxury"'],
    [{ rateId: 7, label: '', ratePercent: 17.5 }, '', ' (17.5%)'],
    [{ rateId: 7, label: 'Old VAT', ratePercent: undefined }, '', ' ("Old VAT")'],
    [null, '', ''],
  ])('when a rate has no Sage code (%j, class %j), then the hold says what is known of it', (taxLine, taxClass, shown) => {
    const s = settings({ byPercent: {} });
    const result = resolveTaxCode({ taxRates: taxLine ? [taxLine] : [] }, thing({ taxClass, taxes: [{ rateId: 7, total: '1.75' }] }), s);
    expect(result).toEqual({
      ok: false,
      hold: {
        code: 'UNMAPPED_TAX_RATE',
        message: `line_items[0] "Mug": WooCommerce tax rate id 7${shown} has no Sage tax code; add it to taxCodes.byRateId, byClass or byPercent`,
        field: 'line_items[0].taxes',
        value: '7',
      },
    });
  });

  it('when the percentage given is not a percentage, then it matches no byPercent key', () => {
    const result = resolveTaxCode(
      { taxRates: [{ rateId: 7, label: 'VAT', ratePercent: 'twenty' }] },
      thing({ taxes: [{ rateId: 7, total: '2' }] }),
      settings(),
    );
    expect(result).toMatchObject({ ok: false, hold: { code: 'UNMAPPED_TAX_RATE' } });
  });

  it('when the code found has no Sage rate, then the line is held naming the code', () => {
    const result = resolveTaxCode(VAT20, thing(), settings({ byRateId: { '1': 7 } }));
    expect(result).toEqual({
      ok: false,
      hold: {
        code: 'UNMAPPED_TAX_RATE',
        message: 'line_items[0] "Mug" maps to T7, which has no rate in sageTaxRates',
        field: 'line_items[0].taxes',
        value: '7',
      },
    });
  });

  it("when WooCommerce's percentage differs from the Sage code's rate, then the line is held; when it is missing or unreadable, the code's rate is trusted", () => {
    const s = settings({ byRateId: { '1': 5 } });
    expect(resolveTaxCode(VAT20, thing(), s)).toEqual({
      ok: false,
      hold: {
        code: 'TAX_RATE_MISMATCH',
        message: 'line_items[0] "Mug": WooCommerce charged 20% (rate id 1) but it maps to T5, whose Sage rate is 5%',
        field: 'line_items[0].taxes',
        value: '1',
      },
    });
    for (const ratePercent of [undefined, '', 'n/a'])
      expect(codeOf(resolveTaxCode({ taxRates: [{ rateId: 1, label: 'VAT', ratePercent }] }, thing(), s))).toEqual([5, 1, '5']);
    expect(codeOf(resolveTaxCode({ taxRates: [{ rateId: 1, label: 'VAT', ratePercent: '5.00' }] }, thing(), s))).toEqual([5, 1, '5']);
  });

  it('when a rate id, class or percentage is named like an object property, then it is looked up as data', () => {
    const s = settings({ byRateId: {}, byClass: {}, byPercent: {} }, {});
    const result = resolveTaxCode({ taxRates: [] }, thing({ taxClass: 'constructor', taxes: [{ rateId: 1, total: '2' }] }), s);
    expect(result).toMatchObject({ ok: false, hold: { code: 'UNMAPPED_TAX_RATE' } });
    const noRate = resolveTaxCode({ taxRates: [] }, thing({ taxes: [] }), settings({ untaxed: 'toString' as never }, {}));
    expect(noRate).toMatchObject({ ok: false, hold: { code: 'UNMAPPED_TAX_RATE', value: 'toString' } });
  });
});
