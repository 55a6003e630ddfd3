import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsSchema } from './schema.ts';

describe('Sage document settings', () => {
  it('when nothing is set, then UK rates, S1 for lines without SKU, unambiguous discounts and receipts to 1200 are the defaults', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({
      sageTaxRates: { '0': '0', '1': '20', '2': '0', '5': '5', '9': '0' },
      missingSku: 'default',
      defaultSku: 'S1',
      couponDiscountAs: 'unambiguous',
      payments: { record: true, type: 'SalesReceipt', bankAccount: '1200', byMethod: {} },
    });
  });

  it('when a tax mapping names a T-code without a Sage rate, or a percentage maps to a code of another rate, then the settings are refused', () => {
    const noRate = settingsSchema.safeParse({ taxCodes: { byRateId: { '7': 4 } } });
    expect(noRate.success).toBe(false);
    expect(noRate.error?.issues[0]).toMatchObject({
      path: ['taxCodes', 'byRateId', '7'],
      message: 'T4 has no rate in sageTaxRates; add "4": "<percent>"',
    });
    const wrongRate = settingsSchema.safeParse({ taxCodes: { byPercent: { '17.5': 1 } } });
    expect(wrongRate.error?.issues[0]?.message).toBe('17.5% is mapped to T1, whose Sage rate is 20% (sageTaxRates)');
    expect(
      settingsSchema.safeParse({ taxCodes: { byRateId: { '7': 4 } }, sageTaxRates: { ...DEFAULT_SETTINGS.sageTaxRates, '4': '0' } })
        .success,
    ).toBe(true);
  });

  it('when a default SKU or bank account would not fit Sage, then it is refused', () => {
    expect(settingsSchema.safeParse({ defaultSku: 'X'.repeat(31) }).success).toBe(false);
    expect(settingsSchema.safeParse({ payments: { bankAccount: '12000000000' } }).success).toBe(false);
    expect(settingsSchema.safeParse({ payments: { type: 'Cash' } }).success).toBe(false);
  });
});
