import { expect, it } from 'vitest';
import { salesOrderJobKey } from '../src/db/export-jobs.ts';
import { flagOrderChange } from '../src/db/order-changes.ts';
import { updateSettings } from '../src/settings/store.ts';
import { systemClock } from '../src/domain/clock.ts';
import { runWooSage } from './helpers/cli.ts';
import { queue, seedOrder } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('woo-sage orders reprocess / cancel / ack', (ctx) => {
  it('when held orders are reprocessed from the CLI after the cause is fixed, then a dry run changes nothing and the real run queues them, order by order', async () => {
    const { db, url } = ctx();
    await updateSettings(db, { createAccounts: false, searchSageByEmail: false }, 'test', systemClock);
    const a = await seedOrder(db);
    const b = await seedOrder(db);
    await db('orders').whereIn('id', [a.orderId, b.orderId]).update({ state: 'held', last_error: 'no account applies' });
    await updateSettings(db, { defaultAccountCode: 'WEBSALES' }, 'test', systemClock);

    const dry = await runWooSage(['orders', 'reprocess', '--held', '--dry-run'], { DATABASE_URL: url });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run: nothing was changed');
    expect(dry.stdout).toContain(`order ${a.orderId}: held → would be queued (rule DEFAULT, account WEBSALES)`);
    expect((await db('orders').where({ id: a.orderId }).first()).state).toBe('held');

    const real = await runWooSage(
      ['orders', 'reprocess', String(a.orderId), String(b.orderId), '--reason', 'default set', '--actor', 'cli:ann'],
      {
        DATABASE_URL: url,
      },
    );
    expect(real.code).toBe(0);
    expect(real.stdout).toContain(`order ${b.orderId}: held → queued (rule DEFAULT, account WEBSALES)`);
    expect(real.stdout).toContain('2 order(s): 2 queued');
    const event = await db('order_events').where({ order_id: a.orderId, to_state: 'waiting' }).first();
    expect(event).toMatchObject({ actor: 'cli:ann' });
    expect(event.reason).toMatch(/^reprocess requested by cli:ann \(default set\)/);

    const again = await runWooSage(['orders', 'reprocess', String(a.orderId), '--json'], { DATABASE_URL: url });
    expect(JSON.parse(again.stdout).results[0]).toMatchObject({ outcome: 'queued', from: 'queued' });
    expect(await db('export_jobs').where({ order_id: a.orderId })).toHaveLength(1);
  });

  it('when reprocess names nothing, an unknown order or a bad id, then it exits 2 saying so', async () => {
    const { url } = ctx();
    const none = await runWooSage(['orders', 'reprocess'], { DATABASE_URL: url });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('name the orders to reprocess (order ids), or use --all-failed and/or --held');
    const unknown = await runWooSage(['orders', 'reprocess', '987654321'], { DATABASE_URL: url });
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toContain('order 987654321: not found');
    const bad = await runWooSage(['orders', 'reprocess', '12x'], { DATABASE_URL: url });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"12x" is not a WooCommerce order id');
  });

  it('when a queued order is cancelled from the CLI, then it is cancelled; a delivered one is refused with what to do in Sage', async () => {
    const { db, url } = ctx();
    const queued = await seedOrder(db);
    await queue(db, queued, 'WEBSALES');
    const ok = await runWooSage(['orders', 'cancel', String(queued.orderId), '--reason', 'duplicate order'], { DATABASE_URL: url });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(`order ${queued.orderId} cancelled (was queued); 1 document(s) taken out of the queue`);

    const sent = await seedOrder(db);
    await queue(db, sent, 'WEBSALES');
    await db('export_jobs')
      .where({ job_key: salesOrderJobKey(sent.orderId) })
      .update({ state: 'imported' });
    await db('orders').where({ id: sent.orderId }).update({ state: 'imported' });
    const refused = await runWooSage(['orders', 'cancel', String(sent.orderId)], { DATABASE_URL: url });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('a person must cancel it in Sage');
    expect((await db('orders').where({ id: sent.orderId }).first()).state).toBe('imported');
  });

  it('when changes after export are acknowledged from the CLI, then explain shows the history with who acknowledged it, and a second ack is refused', async () => {
    const { db, url } = ctx();
    const seeded = await seedOrder(db);
    await queue(db, seeded, 'WEBSALES');
    await db('orders').where({ id: seeded.orderId }).update({ state: 'delivered' });
    await db('export_jobs')
      .where({ job_key: salesOrderJobKey(seeded.orderId) })
      .update({ state: 'delivered', attempts: 2, warnings: JSON.stringify(['billing.address_1 shortened to 60 characters']) });
    await flagOrderChange(db, {
      orderId: seeded.orderId,
      at: new Date('2026-11-23T09:00:00Z'),
      summary: 'refund #5 added: -2.00',
      action: 'raise a credit note for 2.00 in Sage',
    });

    const before = await runWooSage(['orders', 'explain', String(seeded.orderId)], { DATABASE_URL: url });
    expect(before.stdout).toContain('CHANGED AFTER EXPORT');
    expect(before.stdout).toContain('attempts 2 of 10');
    expect(before.stdout).toContain('    warning: billing.address_1 shortened to 60 characters');
    expect(before.stdout).toContain(
      '  2026-11-23T09:00:00.000Z  refund #5 added: -2.00\n    to do: raise a credit note for 2.00 in Sage\n    not yet acknowledged',
    );

    const ack = await runWooSage(['orders', 'ack', String(seeded.orderId), '--note', 'CN 442 raised', '--actor', 'cli:ann'], {
      DATABASE_URL: url,
    });
    expect(ack.code).toBe(0);
    expect(ack.stdout).toContain(`order ${seeded.orderId}: acknowledged 1 change(s)`);
    const after = await runWooSage(['orders', 'explain', String(seeded.orderId)], { DATABASE_URL: url });
    expect(after.stdout).not.toContain('CHANGED AFTER EXPORT');
    expect(after.stdout).toMatch(/acknowledged \S+ by cli:ann: CN 442 raised/);

    const twice = await runWooSage(['orders', 'ack', String(seeded.orderId), '987654321'], { DATABASE_URL: url });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(
      `order ${seeded.orderId}: order ${seeded.orderId} has no change after export waiting to be acknowledged`,
    );
    expect(twice.stderr).toContain('order 987654321: order 987654321 is not in the inbox');
  });

  it('when a queued document is backing off, then explain says when it is tried next', async () => {
    const { db, url } = ctx();
    const seeded = await seedOrder(db);
    await queue(db, seeded, 'WEBSALES');
    await db('export_jobs')
      .where({ job_key: salesOrderJobKey(seeded.orderId) })
      .update({
        attempts: 3,
        next_attempt_at: '2999-01-01T00:00:00.000Z',
        last_error: 'attempt 3 of 10 failed: ENOSPC: no space left on device',
      });
    const text = await runWooSage(['orders', 'explain', String(seeded.orderId)], { DATABASE_URL: url });
    expect(text.stdout).toContain(
      'attempts 3 of 10\n    next attempt after 2999-01-01T00:00:00.000Z\n    last error: attempt 3 of 10 failed: ENOSPC',
    );
    const json = JSON.parse((await runWooSage(['orders', 'explain', String(seeded.orderId), '--json'], { DATABASE_URL: url })).stdout);
    expect(json.documents[0]).toMatchObject({ attempts: 3, maxAttempts: 10, nextAttemptAt: '2999-01-01T00:00:00.000Z', warnings: [] });
    expect(json.changes).toEqual([]);
  });
});
