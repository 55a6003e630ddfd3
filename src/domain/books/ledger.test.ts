import { describe, expect, it } from 'vitest';
import { booksCsv, booksDetailsCsv } from './books-csv.ts';
import { daysBetween, LedgerBuilder, notInSagePart, type BooksOrder } from './ledger.ts';
import { checkBooksRequest, MAX_BOOKS_DAYS } from './period.ts';

const order = (over: Partial<BooksOrder> = {}): BooksOrder => ({
  id: 9001,
  number: '9001',
  day: '2026-07-01',
  status: 'processing',
  state: 'delivered',
  wooGrossMinor: 1200,
  refundsMinor: 0,
  flagged: false,
  changeSummary: null,
  lastError: null,
  rule: 'EXISTING',
  statusExported: true,
  waitingReason: null,
  credits: { sentMinor: 0, pendingMinor: 0 },
  ...over,
});

const delivered = (gross: number, byTaxCode: Array<[number, { net: number; vat: number }]> = []) => ({
  amounts: { gross, byTaxCode: new Map(byTaxCode) },
});

function ledgerOf(orders: BooksOrder[], days?: string[]) {
  const builder = new LedgerBuilder({ withDetails: true, days });
  for (const o of orders) builder.add(o);
  return builder.result({ currency: 'GBP', otherCurrencies: [] });
}

describe('the not-in-Sage part of an order', () => {
  it.each([
    ['held', true, 'held'],
    ['failed', true, 'failed'],
    ['cancelled', true, 'cancelled'],
    ['allocated', true, 'queued'],
    ['queued', true, 'queued'],
    ['delivered', true, undefined],
    ['imported', true, undefined],
    ['received', true, 'waiting'],
    ['waiting', true, 'waiting'],
    ['waiting', false, 'statusNotExported'],
    ['some-later-state', false, 'statusNotExported'],
  ] as const)('when an order is %s (status exported: %s), then its part is %s', (state, statusExported, part) => {
    expect(notInSagePart({ state, statusExported })).toBe(part);
  });
});

describe('the ledger, day by day', () => {
  it('when orders are added, then each day sums its own orders, days come in date order and the totals add the days up', () => {
    const ledger = ledgerOf([
      order({ id: 1, day: '2026-07-02', wooGrossMinor: 1200, delivered: delivered(1200, [[1, { net: 1000, vat: 200 }]]) }),
      order({ id: 2, day: '2026-07-01', wooGrossMinor: 500, delivered: delivered(500, [[0, { net: 500, vat: 0 }]]) }),
      order({ id: 3, day: '2026-07-02', wooGrossMinor: 600, delivered: delivered(600, [[1, { net: 500, vat: 100 }]]), refundsMinor: 50 }),
      order({ id: 4, day: '2026-07-02', state: 'held', wooGrossMinor: 300 }),
    ]);
    expect(ledger).toMatchObject({ currency: 'GBP', from: '2026-07-01', to: '2026-07-02', balanced: true, otherCurrencies: [] });
    expect(ledger.days.map((d) => [d.date, d.orders, d.wooGrossMinor, d.sageGrossMinor, d.notInSage.held, d.refundsMinor])).toEqual([
      ['2026-07-01', 1, 500, 500, 0, 0],
      ['2026-07-02', 3, 2100, 1800, 300, 50],
    ]);
    expect(ledger.days[1]!.vatByTaxCode).toEqual({ '1': { netMinor: 1500, vatMinor: 300 } });
    expect(ledger.totals).toEqual({
      orders: 4,
      wooGrossMinor: 2600,
      sageGrossMinor: 2300,
      notInSage: { held: 300, waiting: 0, queued: 0, failed: 0, statusNotExported: 0, cancelled: 0 },
      differenceMinor: 0,
      refundsMinor: 50,
      creditedMinor: 0,
      refundsFlaggedMinor: 0,
      vatByTaxCode: { '0': { netMinor: 500, vatMinor: 0 }, '1': { netMinor: 1500, vatMinor: 300 } },
    });
    expect('date' in ledger.totals).toBe(false);
  });

  it('when a period is given, then every day of it is listed, empty ones too, and the period is the one asked for', () => {
    const builder = new LedgerBuilder({ withDetails: false, days: daysBetween('2026-06-30', '2026-07-02') });
    builder.add(order({ day: '2026-07-01', delivered: delivered(1200) }));
    const ledger = builder.result({ currency: 'GBP', otherCurrencies: [], from: '2026-06-01', to: '2026-07-31' });
    expect(ledger.days.map((d) => [d.date, d.orders])).toEqual([
      ['2026-06-30', 0],
      ['2026-07-01', 1],
      ['2026-07-02', 0],
    ]);
    expect([ledger.from, ledger.to]).toEqual(['2026-06-01', '2026-07-31']);
    expect(ledger.details).toBeUndefined();
    expect('details' in ledger).toBe(false);
  });

  it('when days carry differences, credits and refunds to credit, then the totals add them up, and the period runs from the first day to the last', () => {
    const flagged = { flagged: true, refundsMinor: 300, credits: { sentMinor: 100, pendingMinor: 0 } };
    const ledger = ledgerOf([
      order({ id: 1, day: '2026-07-03', wooGrossMinor: 1250, delivered: delivered(1200), ...flagged }),
      order({ id: 2, day: '2026-07-01', wooGrossMinor: 1210, delivered: delivered(1200), ...flagged }),
      order({ id: 3, day: '2026-07-02', wooGrossMinor: 1200, delivered: delivered(1200) }),
    ]);
    expect([ledger.from, ledger.to]).toEqual(['2026-07-01', '2026-07-03']);
    expect(ledger.totals).toMatchObject({ differenceMinor: 60, refundsMinor: 600, creditedMinor: 200, refundsFlaggedMinor: 400 });
  });

  it('when there are no orders and no period, then the ledger is empty, balanced and has no dates', () => {
    const ledger = ledgerOf([]);
    expect(ledger).toMatchObject({ from: null, to: null, days: [], balanced: true, details: [] });
    expect(ledger.totals.orders).toBe(0);
  });

  it('from and to are every day between them, both included, across a month end', () => {
    expect(daysBetween('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(daysBetween('2026-07-01', '2026-07-01')).toEqual(['2026-07-01']);
    expect(daysBetween('2026-07-02', '2026-07-01')).toEqual([]);
  });
});

describe('differences between WooCommerce and Sage', () => {
  it('when Sage has less than WooCommerce, then the day is unbalanced and the order is to be corrected by hand, with the change that explains it', () => {
    const ledger = ledgerOf([
      order({ wooGrossMinor: 1250, delivered: delivered(1200), changeSummary: 'first\nsecond\ntotal 12.00 → 12.50' }),
    ]);
    expect(ledger.balanced).toBe(false);
    expect(ledger.days[0]!.differenceMinor).toBe(50);
    expect(ledger.details).toEqual([
      {
        date: '2026-07-01',
        orderId: 9001,
        number: '9001',
        part: 'difference',
        amountMinor: 50,
        wooGrossMinor: 1250,
        sageGrossMinor: 1200,
        status: 'processing',
        state: 'delivered',
        reason: 'Sage has 12.00, WooCommerce 12.50; changed in WooCommerce after export: total 12.00 → 12.50',
        action: 'correct',
        howTo: 'add 0.50 in Sage by hand, then woo-sage orders ack 9001',
      },
    ]);
  });

  it('when Sage has more than WooCommerce, then a credit for the difference is to be raised', () => {
    const [detail] = ledgerOf([order({ wooGrossMinor: 1150, delivered: delivered(1200) })]).details!;
    expect(detail).toMatchObject({
      amountMinor: -50,
      reason: 'Sage has 12.00, WooCommerce 11.50',
      action: 'credit',
      howTo: 'credit 0.50 in Sage, then woo-sage orders ack 9001',
    });
  });

  it('when an order is marked delivered but no sales order went, then its whole amount is a difference to check in Sage', () => {
    const ledger = ledgerOf([order({ state: 'imported', wooGrossMinor: 700 })]);
    expect(ledger.days[0]).toMatchObject({ sageGrossMinor: 0, differenceMinor: 700 });
    expect(ledger.details).toEqual([
      expect.objectContaining({
        part: 'difference',
        amountMinor: 700,
        sageGrossMinor: null,
        reason: 'marked imported but no sales order was delivered',
        action: 'correct',
        howTo: 'check order 9001 is in Sage',
      }),
    ]);
  });

  it('when a delivered document cannot be read, then Sage counts nothing for it and the reason names the problem', () => {
    const ledger = ledgerOf([order({ wooGrossMinor: 700, delivered: { error: 'Item[1].UnitPrice "x" is not an amount' } })]);
    expect(ledger.days[0]).toMatchObject({ sageGrossMinor: 0, differenceMinor: 700 });
    expect(ledger.days[0]!.vatByTaxCode).toEqual({});
    expect(ledger.details).toEqual([
      expect.objectContaining({
        part: 'difference',
        amountMinor: 700,
        sageGrossMinor: 0,
        reason: 'its delivered sales order cannot be read: Item[1].UnitPrice "x" is not an amount',
        action: 'correct',
        howTo: 'check order 9001 in Sage by hand',
      }),
    ]);
  });

  it('when a delivered order of zero is read as zero, then nothing is listed', () => {
    expect(ledgerOf([order({ wooGrossMinor: 0, delivered: delivered(0) })]).details).toEqual([]);
  });
});

describe('orders not in Sage: why and what to do', () => {
  const detailOf = (over: Partial<BooksOrder>) => {
    const ledger = ledgerOf([order({ wooGrossMinor: 800, ...over })]);
    expect(ledger.details).toHaveLength(1);
    expect(ledger.details![0]).toMatchObject({ amountMinor: 800, sageGrossMinor: null });
    return ledger.details![0]!;
  };

  it.each([
    [{ state: 'held', rule: 'NONE', lastError: 'no account' }, 'held', 'no account', 'assign', 'woo-sage orders assign 9001 CODE'],
    [{ state: 'held', rule: 'NONE' }, 'held', 'no account could be chosen', 'assign', 'woo-sage orders assign 9001 CODE'],
    [
      { state: 'held', rule: 'EXISTING', lastError: 'TOTALS_MISMATCH' },
      'held',
      'TOTALS_MISMATCH',
      'reprocess',
      'fix the cause, then woo-sage orders reprocess 9001',
    ],
    [{ state: 'held', rule: null }, 'held', 'held', 'reprocess', 'fix the cause, then woo-sage orders reprocess 9001'],
    [{ state: 'failed', lastError: 'disk full' }, 'failed', 'disk full', 'reprocess', 'woo-sage orders reprocess 9001'],
    [{ state: 'failed' }, 'failed', 'failed', 'reprocess', 'woo-sage orders reprocess 9001'],
    [{ state: 'queued' }, 'queued', 'its sales order is queued for delivery', 'none', 'the next delivery sends it'],
    [
      { state: 'cancelled', lastError: 'cancelled in the shop' },
      'cancelled',
      'cancelled in the shop',
      'none',
      'nothing: it is not exported',
    ],
    [{ state: 'cancelled' }, 'cancelled', 'cancelled here', 'none', 'nothing: it is not exported'],
    [
      { state: 'waiting', statusExported: false, status: 'on-hold' },
      'statusNotExported',
      'status "on-hold" is not exported',
      'none',
      'exported if its status becomes an import status',
    ],
    [
      { state: 'waiting', statusExported: false, waitingReason: 'changed 3 minutes ago' },
      'statusNotExported',
      'changed 3 minutes ago',
      'none',
      'exported if its status becomes an import status',
    ],
    [{ state: 'waiting' }, 'waiting', 'due: the next sync processes it', 'none', 'the next sync takes it'],
    [{ state: 'received', waitingReason: 'settling' }, 'waiting', 'settling', 'none', 'the next sync takes it'],
  ] as const)('when an order is %j, then it is in %s: %s (%s: %s)', (over, part, reason, action, howTo) => {
    expect(detailOf(over)).toMatchObject({ part, reason, action, howTo });
  });

  it('when an order is not in Sage, then its amount is in its part of the day, not in Sage and not a difference', () => {
    const ledger = ledgerOf([order({ state: 'failed', wooGrossMinor: 800 })]);
    expect(ledger.days[0]).toMatchObject({ sageGrossMinor: 0, differenceMinor: 0, notInSage: { failed: 800 } });
    expect(ledger.balanced).toBe(true);
  });
});

describe('refunds', () => {
  it('when a flagged order was refunded beyond its credit notes, then what is left is to be credited by hand', () => {
    const ledger = ledgerOf([
      order({ flagged: true, refundsMinor: 1000, credits: { sentMinor: 300, pendingMinor: 200 }, delivered: delivered(1200) }),
    ]);
    expect(ledger.days[0]).toMatchObject({ refundsMinor: 1000, creditedMinor: 300, refundsFlaggedMinor: 500 });
    expect(ledger.details).toEqual([
      expect.objectContaining({
        part: 'refundsFlagged',
        amountMinor: 500,
        sageGrossMinor: null,
        reason: 'refunded 10.00 in WooCommerce, 3.00 credited in Sage',
        action: 'credit',
        howTo: 'raise a credit note for 5.00 in Sage, then woo-sage orders ack 9001',
      }),
    ]);
  });

  it('when credit notes cover a flagged refund, or more than cover it, then nothing is left to credit', () => {
    const ledger = ledgerOf([
      order({ id: 1, flagged: true, refundsMinor: 500, credits: { sentMinor: 300, pendingMinor: 200 }, delivered: delivered(1200) }),
      order({ id: 2, flagged: true, refundsMinor: 500, credits: { sentMinor: 900, pendingMinor: 0 }, delivered: delivered(1200) }),
    ]);
    expect(ledger.days[0]).toMatchObject({ refundsMinor: 1000, creditedMinor: 1200, refundsFlaggedMinor: 0 });
    expect(ledger.details).toEqual([]);
  });

  it('when an order that is not flagged was refunded, then the refund is counted but nothing is to be credited by hand', () => {
    const ledger = ledgerOf([order({ refundsMinor: 400, delivered: delivered(1200) })]);
    expect(ledger.days[0]).toMatchObject({ refundsMinor: 400, refundsFlaggedMinor: 0 });
    expect(ledger.details).toEqual([]);
  });
});

describe('the books period', () => {
  it('when a period is well formed, then it is kept and the currency is upper-cased', () => {
    expect(checkBooksRequest({ from: '2026-07-01', to: '2026-07-31', currency: ' gbp ' })).toEqual({
      from: '2026-07-01',
      to: '2026-07-31',
      currency: 'GBP',
    });
    expect(checkBooksRequest({})).toEqual({ from: undefined, to: undefined });
    expect('currency' in checkBooksRequest({ from: '2026-07-01' })).toBe(false);
    expect(checkBooksRequest({ from: '2026-07-01', to: '2026-07-01' })).toMatchObject({ from: '2026-07-01' });
  });

  it.each([
    [{ from: '2026-02-30' }, 'from: "2026-02-30" is not a date (YYYY-MM-DD)'],
    [{ to: '2026-7-1' }, 'to: "2026-7-1" is not a date (YYYY-MM-DD)'],
    [{ to: 'x2026-07-01' }, 'to: "x2026-07-01" is not a date (YYYY-MM-DD)'],
    [{ to: '2026-07-01x' }, 'to: "2026-07-01x" is not a date (YYYY-MM-DD)'],
    [{ from: '2026-13-01' }, 'from: "2026-13-01" is not a date (YYYY-MM-DD)'],
    [{ from: `2026-07-01${'x'.repeat(50)}` }, `from: "2026-07-01${'x'.repeat(30)}" is not a date (YYYY-MM-DD)`],
    [{ currency: 'pounds' }, 'currency: "pounds" is not a currency code such as GBP'],
    [{ currency: 'G1P' }, 'currency: "G1P" is not a currency code such as GBP'],
    [{ currency: `x${'GBP'.repeat(20)}` }, `currency: "x${'GBP'.repeat(13)}" is not a currency code such as GBP`],
    [{ from: '2026-07-02', to: '2026-07-01' }, 'from: 2026-07-02 is after to: 2026-07-01'],
    [
      { from: 'today', to: 'now', currency: '' },
      'from: "today" is not a date (YYYY-MM-DD); to: "now" is not a date (YYYY-MM-DD); currency: "" is not a currency code such as GBP',
    ],
  ])('when the period is %j, then it is refused: %s', (request, message) => {
    expect(() => checkBooksRequest(request)).toThrow(expect.objectContaining({ message, details: { problems: message.split('; ') } }));
  });

  it('when a period is as long as allowed, then it is accepted; a day longer is refused with its length', () => {
    const from = '2020-01-01';
    const last = daysBetween(from, '2030-12-31')[MAX_BOOKS_DAYS - 1]!;
    expect(daysBetween(from, last)).toHaveLength(MAX_BOOKS_DAYS);
    expect(checkBooksRequest({ from, to: last }).to).toBe(last);
    const after = daysBetween(last, '2030-12-31')[1]!;
    expect(() => checkBooksRequest({ from, to: after })).toThrow(
      `from ${from} to ${after} is ${MAX_BOOKS_DAYS + 1} days; at most ${MAX_BOOKS_DAYS} at a time`,
    );
  });
});

describe('the books as CSV', () => {
  it('when the ledger is written, then each day and the total are a row, with a net and VAT column per T-code in numeric order', () => {
    const ledger = ledgerOf([
      order({ id: 1, day: '2026-07-01', wooGrossMinor: 1200, delivered: delivered(1200, [[10, { net: 1000, vat: 200 }]]) }),
      order({ id: 2, day: '2026-07-02', wooGrossMinor: 525, delivered: delivered(525, [[9, { net: 500, vat: 25 }]]) }),
      order({ id: 3, day: '2026-07-02', state: 'cancelled', wooGrossMinor: 99, refundsMinor: 99 }),
    ]);
    expect(booksCsv(ledger).split('\r\n')).toEqual([
      '\uFEFFdate,currency,orders,woocommerce_gross,sage_gross,not_in_sage_held,not_in_sage_waiting,not_in_sage_queued,not_in_sage_failed,not_in_sage_status_not_exported,not_in_sage_cancelled,difference,refunds,credited,refunds_flagged,T9_net,T9_vat,T10_net,T10_vat',
      '2026-07-01,GBP,1,12.00,12.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,10.00,2.00',
      '2026-07-02,GBP,2,6.24,5.25,0.00,0.00,0.00,0.00,0.00,0.99,0.00,0.99,0.00,0.00,5.00,0.25,0.00,0.00',
      'total,GBP,3,18.24,17.25,0.00,0.00,0.00,0.00,0.00,0.99,0.00,0.99,0.00,0.00,5.00,0.25,10.00,2.00',
      '',
    ]);
  });

  it('when the ledger has no currency, then the currency cells are empty', () => {
    const builder = new LedgerBuilder({ withDetails: false });
    const csv = booksCsv(builder.result({ currency: null, otherCurrencies: [] }));
    expect(csv.split('\r\n')[1]).toBe('total,,0,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00');
  });

  it('when the details are written, then each is a row with its amounts, reason and action; no Sage amount is an empty cell', () => {
    const ledger = ledgerOf([
      order({ id: 1, number: null, wooGrossMinor: 1150, delivered: delivered(1200) }),
      order({ id: 2, number: '#2', state: 'failed', wooGrossMinor: 300, lastError: '=cmd, "quoted"' }),
    ]);
    expect(booksDetailsCsv(ledger.details!, 'GBP').split('\r\n')).toEqual([
      '\uFEFFdate,order,number,part,currency,amount,woocommerce_gross,sage_gross,status,state,reason,action,how_to',
      '2026-07-01,1,,difference,GBP,-0.50,11.50,12.00,processing,delivered,"Sage has 12.00, WooCommerce 11.50",credit,"credit 0.50 in Sage, then woo-sage orders ack 1"',
      `2026-07-01,2,#2,failed,GBP,3.00,3.00,,processing,failed,"'=cmd, ""quoted""",reprocess,woo-sage orders reprocess 2`,
      '',
    ]);
    expect(booksDetailsCsv([], null)).toBe(
      '\uFEFFdate,order,number,part,currency,amount,woocommerce_gross,sage_gross,status,state,reason,action,how_to\r\n',
    );
    expect(booksDetailsCsv(ledger.details!, null).split('\r\n')[1]).toContain(',difference,,-0.50,');
  });
});
