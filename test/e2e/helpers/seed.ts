import type { Knex } from 'knex';
import { writeLastPoll } from '../../../src/db/poll-status.ts';
import { insertExportJob, insertOrderEvent, insertOrderRow } from '../../helpers/factories.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

const BUYERS = [
  ['Harris Plumbing Ltd', 'accounts@harrisplumbing.co.uk', 'HARRIS01'],
  ['Jo Bloggs', 'jo.bloggs@example.com', 'BLOGGS01'],
  ['Priya Shah', 'priya.shah@example.org', 'SHAH01'],
  ['Acme Garden Supplies', 'orders@acme-gardens.co.uk', 'ACME02'],
  ['Tom Evans', 'tom.evans@example.net', 'EVANS01'],
  ['Northwind Cafés', 'buying@northwind.example', 'NORTHW01'],
] as const;

export interface SeededOrders {
  /** A held order with a readable reason and a decision trace (the one scenarios open). */
  heldOrderId: number;
  heldReason: string;
  /** Every held order. */
  heldOrderIds: number[];
}

/**
 * A fortnight of a small shop's orders, most exported and imported, a few held, one failed, one
 * changed after export, plus a recent successful poll: enough for every screen to have something
 * to show. Deterministic, relative to `now`.
 */
export async function seedDemoData(db: Knex, now: Date): Promise<SeededOrders> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  let id = 4100;
  for (let day = 13; day >= 1; day--) {
    const perDay = 2 + ((day * 7) % 5);
    for (let i = 0; i < perDay; i++) {
      const [name, email, code] = BUYERS[(id + i) % BUYERS.length]!;
      const received = today - day * DAY + (9 + i) * 3_600_000;
      const finalState = day > 2 ? 'imported' : day === 2 ? 'delivered' : 'queued';
      const rule = i % 3 === 0 ? 'PROFILE' : i % 3 === 1 ? 'EXISTING' : 'NEW';
      await insertOrderRow(db, {
        id: ++id,
        state: finalState,
        customer_id: i % 2 ? 200 + i : 0,
        billing_email: email,
        billing_name: name,
        total_minor: 1999 + ((id * 137) % 9000),
        rule,
        account_code: code,
        state_changed_at: iso(received + (finalState === 'imported' ? DAY : 2 * 3_600_000)),
        decision: JSON.stringify({ rule, accountCode: code, reason: `${name}: account ${code} by rule ${rule}.`, trace: [] }),
      });
      await insertOrderEvent(db, { orderId: id, to: 'received', at: iso(received), actor: 'sync' });
      await insertOrderEvent(db, {
        orderId: id,
        from: 'received',
        to: 'queued',
        at: iso(received + 3_600_000),
        reason: 'sales order queued',
        actor: 'sync',
      });
      await insertExportJob(db, {
        order_id: id,
        job_key: `sales_order:${id}`,
        account_code: code,
        state: finalState,
        created_at: iso(received + 3_600_000),
        delivered_at: finalState === 'queued' ? null : iso(received + 2 * 3_600_000),
      });
      if (finalState !== 'queued')
        await insertOrderEvent(db, { orderId: id, from: 'queued', to: 'delivered', at: iso(received + 2 * 3_600_000), actor: 'deliver' });
      if (finalState === 'imported')
        await insertOrderEvent(db, { orderId: id, from: 'delivered', to: 'imported', at: iso(received + DAY), actor: 'results' });
    }
  }

  const heldReason = 'Billing email orders@acme-gardens.co.uk matches 2 Sage accounts: ACME01, ACME02. Link the customer to one of them.';
  const held: Array<[number, string, string, object | null]> = [
    [
      4301,
      'orders@acme-gardens.co.uk',
      heldReason,
      {
        rule: 'NONE',
        accountCode: null,
        reason: heldReason,
        trace: [
          { rule: 'PROFILE', outcome: 'skipped', detail: 'the order carries no profile account code' },
          { rule: 'EXISTING', outcome: 'ambiguous', detail: 'orders@acme-gardens.co.uk matches ACME01 and ACME02' },
          { rule: 'NEW', outcome: 'skipped', detail: 'an existing account matched, so none is created' },
          { rule: 'DEFAULT', outcome: 'skipped', detail: 'no default account code is set' },
        ],
      },
    ],
    [4302, 'sam@example.com', 'Profile account code "harris-1" does not match the account code pattern ^[A-Z0-9]{1,8}$.', null],
    [
      4303,
      'guest.buyer@example.com',
      'No rule applies: the buyer was a guest, accounts are created for logged-in buyers only, and no default account code is set.',
      null,
    ],
  ];
  for (const [orderId, email, reason, decision] of held) {
    const at = iso(now.getTime() - (orderId - 4300) * 3_600_000);
    await insertOrderRow(db, {
      id: orderId,
      state: 'held',
      billing_email: email,
      last_error: reason,
      rule: 'NONE',
      state_changed_at: at,
      decision: decision ? JSON.stringify(decision) : null,
    });
    await insertOrderEvent(db, { orderId, to: 'received', at: iso(Date.parse(at) - 60_000), actor: 'sync' });
    await insertOrderEvent(db, { orderId, from: 'received', to: 'held', at, reason, actor: 'sync' });
  }

  await insertOrderRow(db, {
    id: 4310,
    state: 'failed',
    last_error: 'Sage rejected the sales order: account EVANS01 is on hold.',
    state_changed_at: iso(now.getTime() - 5 * 3_600_000),
  });
  await insertOrderEvent(db, {
    orderId: 4310,
    to: 'failed',
    at: iso(now.getTime() - 5 * 3_600_000),
    reason: 'Sage rejected the sales order',
    actor: 'results',
  });
  await insertExportJob(db, {
    order_id: 4310,
    job_key: 'sales_order:4310',
    state: 'failed',
    attempts: 1,
    last_error: 'account EVANS01 is on hold',
  });
  await insertOrderRow(db, {
    id: 4311,
    state: 'imported',
    account_code: 'SHAH01',
    rule: 'PROFILE',
    changed_after_export: true,
    change_summary: 'total changed from £45.00 to £39.00 (a line was refunded)',
  });
  await insertOrderRow(db, { id: 4320, state: 'waiting', settle_at: iso(now.getTime() + 30 * 60_000) });
  await insertOrderEvent(db, {
    orderId: 4320,
    to: 'waiting',
    at: iso(now.getTime() - 30 * 60_000),
    reason: 'settling for 60 minutes',
    actor: 'sync',
  });

  await writeLastPoll(db, { at: new Date(now.getTime() - 3 * 60_000), durationMs: 1840, orders: 12 });
  return { heldOrderId: 4301, heldReason, heldOrderIds: held.map(([orderId]) => orderId) };
}
