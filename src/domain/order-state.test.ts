import { describe, expect, it } from 'vitest';
import { EXPORTED_STATES, isOrderState, ORDER_STATES } from './order-state.ts';

describe('order states', () => {
  it('the states are the life of an order, in order; delivered and imported are the exported ones', () => {
    expect(ORDER_STATES).toEqual(['received', 'held', 'waiting', 'allocated', 'queued', 'delivered', 'imported', 'failed', 'cancelled']);
    expect(EXPORTED_STATES).toEqual(['delivered', 'imported']);
  });

  it.each([
    ['received', true],
    ['cancelled', true],
    ['Received', false],
    ['', false],
    ['toString', false],
  ])('%j is an order state: %s', (value, is) => {
    expect(isOrderState(value)).toBe(is);
  });
});
