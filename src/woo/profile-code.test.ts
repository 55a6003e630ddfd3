import { describe, expect, it } from 'vitest';
import { profileCodeFor } from './profile-code.ts';

const key = 'sage_account_code';

describe('profile code of an order', () => {
  it('when the buyer was logged in and has a profile code, then it comes from the profile', () => {
    expect(profileCodeFor({ customer_id: 4, meta_data: [{ key, value: 'OLD01' }] }, { profileCode: ' JONES01 ' }, key)).toEqual({
      code: 'JONES01',
      source: 'customer',
    });
  });

  it('when the profile has none, or the buyer was a guest, then the order’s own meta counts', () => {
    expect(profileCodeFor({ customer_id: 4, meta_data: [{ key, value: ' smith02' }] }, { profileCode: null }, key)).toEqual({
      code: 'smith02',
      source: 'order',
    });
    expect(profileCodeFor({ customer_id: 0, meta_data: [{ key, value: 'SMITH02' }] }, { profileCode: 'JONES01' }, key)).toEqual({
      code: 'SMITH02',
      source: 'order',
    });
  });

  it('when neither has one, then there is no profile code', () => {
    expect(profileCodeFor({ customer_id: 4, meta_data: [] }, undefined, key)).toBeUndefined();
    expect(profileCodeFor({ customer_id: 4, meta_data: [{ key, value: '  ' }] }, { profileCode: '' }, key)).toBeUndefined();
  });
});
