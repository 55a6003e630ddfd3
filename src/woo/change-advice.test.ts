import { describe, expect, it } from 'vitest';
import { adviseOnChange, type AdviceContext } from './change-advice.ts';

const order = {
  id: 77,
  status: 'completed',
  total: '24.00',
  total_tax: '4.00',
  line_items: [{ id: 1, quantity: 2, total: '20.00', total_tax: '4.00' }],
  refunds: [] as unknown[],
};
const delivered: AdviceContext = { orderId: 77, state: 'delivered', accountCode: 'JOE001', exportRefunds: false };

describe('adviseOnChange', () => {
  it('when a delivered order is cancelled, then the person is told to cancel it in Sage or credit it if invoiced', () => {
    expect(adviseOnChange(order, { ...order, status: 'cancelled' }, delivered)).toBe(
      'cancel sales order 77 (account JOE001) in Sage; if it has been invoiced, raise a credit note for 24.00',
    );
  });

  it('when a delivered order is moved to the bin, then it is said to be deleted and to be cancelled in Sage; restored, it may need entering again', () => {
    expect(adviseOnChange(order, { ...order, status: 'trash' }, delivered)).toBe(
      'the order was deleted in WooCommerce (moved to the bin): cancel sales order 77 (account JOE001) in Sage; if it has been invoiced, raise a credit note for 24.00',
    );
    // Cancelled first, then binned: Sage was told already.
    expect(adviseOnChange({ ...order, status: 'cancelled' }, { ...order, status: 'trash' }, delivered)).toBeNull();
    expect(adviseOnChange({ ...order, status: 'trash' }, { ...order, status: 'processing' }, delivered)).toMatch(
      /^the order is active again/,
    );
    expect(adviseOnChange(order, { ...order, status: 'trash' }, { ...delivered, state: 'queued' })).toBe(
      'its sales order has not left yet: cancel it here (woo-sage orders cancel 77)',
    );
  });

  it('when a delivered order is refunded in full, then a credit note for the whole amount is asked for', () => {
    const after = { ...order, status: 'refunded', refunds: [{ id: 901, total: '-24.00', reason: 'Lost in post' }] };
    expect(adviseOnChange(order, after, delivered)).toBe(
      'raise a credit note for 24.00 (refund #901) (account JOE001) in Sage, or cancel the sales order if it has not been invoiced',
    );
  });

  it('when part of a delivered order is refunded, then a credit note for the refund is asked for, or checked when credit notes are exported', () => {
    const after = { ...order, refunds: [{ id: 902, total: '-2.50', reason: 'Damaged' }] };
    expect(adviseOnChange(order, after, delivered)).toBe('raise a credit note for 2.50 (refund #902) (account JOE001) in Sage');
    expect(adviseOnChange(order, after, { ...delivered, exportRefunds: true })).toMatch(
      /^a credit note for 2.50 \(refund #902\) is exported to Sage \(exportRefunds\): check it is there/,
    );
  });

  it('when lines or the total of a delivered order are edited, then the sales order must be amended in Sage', () => {
    const after = { ...order, total: '36.00', total_tax: '6.00', line_items: [{ id: 1, quantity: 3, total: '30.00', total_tax: '6.00' }] };
    expect(adviseOnChange(order, after, delivered)).toBe(
      'amend sales order 77 in Sage to match WooCommerce (total now 36.00, was 24.00; VAT now 6.00, was 4.00; lines changed)',
    );
  });

  it('when amounts are only written differently, then no amendment is asked for; lines moved at the same total say the total is unchanged', () => {
    const rewritten = {
      ...order,
      prices_include_tax: true,
      total: '24.0000',
      total_tax: '4',
      line_items: [{ id: 1, quantity: 2, total: '20.000000', total_tax: '4.00', price: 12 }],
    };
    expect(adviseOnChange(order, rewritten, delivered)).toBeNull();
    const moved = {
      ...order,
      line_items: [
        { id: 1, quantity: 1, total: '10.00', total_tax: '2.00' },
        { id: 2, quantity: 1, total: '10.00', total_tax: '2.00' },
      ],
    };
    expect(adviseOnChange(order, moved, delivered)).toBe(
      'amend sales order 77 in Sage to match WooCommerce (lines changed, total unchanged at 24.00)',
    );
  });

  it('when a cancelled order is back to processing, then it may need entering again in Sage', () => {
    expect(adviseOnChange({ ...order, status: 'cancelled' }, { ...order, status: 'processing' }, delivered)).toBe(
      'the order is active again in WooCommerce: if it was cancelled in Sage, enter it there again (sales order 77 is not sent twice)',
    );
  });

  it('when the sales order has not left the queue yet, then the fix is here: reprocess or cancel', () => {
    const queued = { ...delivered, state: 'queued' };
    expect(adviseOnChange(order, { ...order, status: 'cancelled' }, queued)).toBe(
      'its sales order has not left yet: cancel it here (woo-sage orders cancel 77)',
    );
    expect(adviseOnChange(order, { ...order, total: '30.00' }, queued)).toMatch(
      /reprocess it to send the changed order \(woo-sage orders reprocess 77\)/,
    );
  });

  it('when a queued order is part-refunded and credit notes are not exported, then the advice says the refund still needs a credit note in Sage', () => {
    const after = { ...order, refunds: [{ id: 903, total: '-2.50', reason: 'Damaged' }] };
    expect(adviseOnChange(order, after, { ...delivered, state: 'queued' })).toBe(
      'its sales order has not left yet: reprocess it to send the changed order (woo-sage orders reprocess 77), or cancel it here; either way the sales order is for the full total, so raise a credit note for 2.50 (refund #903) (account JOE001) in Sage',
    );
    expect(adviseOnChange(order, after, { ...delivered, state: 'queued', exportRefunds: true })).toBe(
      'its sales order has not left yet: reprocess it to send the changed order (woo-sage orders reprocess 77), or cancel it here',
    );
  });

  it('when only the address or a note changed, then nothing in Sage depends on it', () => {
    expect(adviseOnChange(order, { ...order, customer_note: 'ring twice' }, delivered)).toBeNull();
  });
});
