import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../settings/schema.ts';
import { gatewayFindings } from './payment-checks.ts';

const settings = (payments: Record<string, unknown> = {}) => settingsSchema.parse({ payments });
const gw = (id: string, enabled = true) => ({ id, title: id.toUpperCase(), enabled });

describe('payment gateway findings', () => {
  it('when one gateway is enabled, then the default bank account is right for it', () => {
    expect(gatewayFindings([gw('stripe'), gw('cheque', false)], settings())).toEqual([
      { id: 'payment.gateway', level: 'ok', message: 'payment gateway stripe (STRIPE) → the default bank account 1200', fix: null },
    ]);
  });

  it('when a gateway is named like an object property (__proto__, toString), then it is not taken as mapped', () => {
    const found = gatewayFindings([gw('__proto__'), gw('toString')], settings({ byMethod: { stripe: '1210' } }));
    expect(found.filter((f) => f.level === 'warn').map((f) => f.message.split(' ')[2])).toEqual(['__proto__', 'toString', '"stripe",']);
  });

  it('when payments are not recorded, then gateways need no bank account', () => {
    expect(gatewayFindings([gw('stripe'), gw('paypal')], settings({ record: false })).map((f) => f.level)).toEqual(['info']);
  });
});
