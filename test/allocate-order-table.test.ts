import { expect, it } from 'vitest';
import { fixedClock } from '../src/domain/clock.ts';
import { allocateOrder } from '../src/pipeline/allocate-order.ts';
import {
  allCases,
  caseOrder,
  caseSettings,
  describeCase,
  expectedAccountCode,
  expectedRule,
  TABLE_WORLD,
} from './helpers/allocation-table.ts';
import { allocationSettings, insertAccount, insertWooCustomer, insertWooOrder } from './helpers/allocation-rows.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const clock = fixedClock('2026-02-01T10:00:00Z');

describeEachDialect('allocation decision table through the database', (ctx) => {
  const cases = allCases();

  it('covers every combination of the four customer settings × profile × login × 0/1/2 matches', () => {
    expect(cases).toHaveLength(192);
  });

  it.each(cases.map((c, i) => [describeCase(c), c, i] as const))(
    'when %s, then the order is stored with the table rule',
    async (_name, c, i) => {
      const { db } = ctx();
      // Each case runs in a transaction that is rolled back, so every case sees the same world.
      const trx = await db.transaction();
      try {
        await insertAccount(trx, TABLE_WORLD.profileCode);
        await insertAccount(trx, TABLE_WORLD.takenCode, ['someone.else@example.com']);
        for (const code of TABLE_WORLD.matchCodes.slice(0, c.matches)) await insertAccount(trx, code, [TABLE_WORLD.buyerEmail]);
        if (c.loggedIn) await insertWooCustomer(trx, TABLE_WORLD.customerId, c.profile ? TABLE_WORLD.profileCode : null);
        const orderId = await insertWooOrder(trx, caseOrder(c, 9000 + i));

        const { decision, newAccount } = await allocateOrder(trx, orderId, allocationSettings(caseSettings(c)), clock, 'test');

        const rule = expectedRule(c);
        const code = expectedAccountCode(rule);
        expect(decision).toMatchObject({ rule, accountCode: code });
        const row = await trx('orders').where({ id: orderId }).first();
        expect(row).toMatchObject({
          rule,
          account_code: code,
          state: rule === 'NONE' ? 'held' : 'allocated',
          last_error: rule === 'NONE' ? decision.reason : null,
        });
        expect(JSON.parse(row.decision)).toEqual(decision);
        const pending = await trx('sage_accounts').where({ status: 'pending' }).select('code', 'owner_key');
        if (rule === 'NEW') {
          const owner = c.loggedIn ? `customer:${TABLE_WORLD.customerId}` : `guest:${TABLE_WORLD.buyerEmail}`;
          expect(pending).toEqual([{ code: TABLE_WORLD.newCode, owner_key: owner }]);
          expect(newAccount).toMatchObject({ code: TABLE_WORLD.newCode, ownerKey: owner, created: true });
          expect(await trx('sage_account_emails').where({ account_code: TABLE_WORLD.newCode }).pluck('email')).toEqual([
            TABLE_WORLD.buyerEmail,
          ]);
        } else {
          expect(pending).toEqual([]);
          expect(newAccount).toBeUndefined();
        }
      } finally {
        await trx.rollback();
      }
    },
  );
});
