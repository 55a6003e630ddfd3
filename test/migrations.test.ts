import { expect, it } from 'vitest';
import { migrateLatest, migrationConfig } from '../src/db/migrator.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const TABLES = [
  'settings',
  'audit_log',
  'sync_state',
  'orders',
  'order_events',
  'sage_accounts',
  'sage_account_emails',
  'export_batches',
  'export_jobs',
  'users',
  'woo_customers',
  'sessions',
  'api_tokens',
  'order_changes',
  'notification_digests',
  'notification_deliveries',
  'notified_problems',
];

describeEachDialect('migrations', (ctx) => {
  it('when migrated, then every table of the design exists', async () => {
    const { db } = ctx();
    for (const table of TABLES) expect(await db.schema.hasTable(table), table).toBe(true);
  });

  it('when migrated again, then nothing is applied', async () => {
    expect(await migrateLatest(ctx().db)).toEqual([]);
  });

  it('when rolled back completely and re-applied, then the schema comes back', async () => {
    const { db } = ctx();
    await db.migrate.rollback(migrationConfig, true);
    for (const table of TABLES) expect(await db.schema.hasTable(table), table).toBe(false);
    const applied = await migrateLatest(db);
    expect(applied.length).toBeGreaterThanOrEqual(TABLES.length);
    for (const table of TABLES) expect(await db.schema.hasTable(table), table).toBe(true);
  });

  it('when a stored settings document carries the old default couponDiscountAs nobody chose, then migrating moves it to unambiguous (audited); a chosen mode is kept', async () => {
    const { db } = ctx();
    const name = '20261203110100_update_default_coupon_discount.ts';
    const store = async (document: Record<string, unknown>) => {
      await db('settings').delete();
      await db('settings').insert({
        name: 'main',
        document: JSON.stringify(document),
        version: 3,
        updated_at: '2026-01-01T00:00:00.000Z',
        updated_by: 'ann',
      });
    };
    const modeAfterMigrating = async () => {
      await db.migrate.down({ ...migrationConfig, name });
      await db.migrate.up({ ...migrationConfig, name });
      return JSON.parse((await db('settings').where({ name: 'main' }).first()).document).couponDiscountAs;
    };
    await db('audit_log').where({ subject: 'settings.couponDiscountAs' }).delete();
    await store({ settleMinutes: 30, couponDiscountAs: 'lineDiscount' });
    expect(await modeAfterMigrating()).toBe('unambiguous');
    expect(await db('settings').where({ name: 'main' }).first('version', 'updated_by')).toMatchObject({
      version: 4,
      updated_by: 'migration',
    });
    expect(await db('audit_log').where({ subject: 'settings.couponDiscountAs' }).select('actor', 'before', 'after')).toEqual([
      { actor: 'migration', before: '"lineDiscount"', after: '"unambiguous"' },
    ]);

    // Chosen by a person (the audit says so): kept.
    await db('audit_log').where({ subject: 'settings.couponDiscountAs' }).delete();
    await db('audit_log').insert({
      at: '2026-02-01T00:00:00.000Z',
      actor: 'ann',
      action: 'settings.set',
      subject: 'settings.couponDiscountAs',
      before: '"netPrice"',
      after: '"lineDiscount"',
    });
    await store({ couponDiscountAs: 'lineDiscount' });
    expect(await modeAfterMigrating()).toBe('lineDiscount');
    await db('audit_log').where({ subject: 'settings.couponDiscountAs' }).delete();
    await store({ couponDiscountAs: 'netPrice' });
    expect(await modeAfterMigrating()).toBe('netPrice');
    await db('settings').delete();
  });

  it('when a time and big money value are stored, then they read back unchanged', async () => {
    const { db } = ctx();
    const at = '2026-03-29T01:30:00.000Z';
    await db('orders').insert({
      id: 9_007_199_254,
      status: 'processing',
      date_modified: at,
      payload: '{}',
      content_hash: 'h',
      state: 'received',
      state_changed_at: at,
      received_at: at,
      updated_at: at,
      total_minor: 123_456_789_012,
    });
    const row = await db('orders').where({ id: 9_007_199_254 }).first();
    expect(row.date_modified).toBe(at);
    expect(Number(row.total_minor)).toBe(123_456_789_012);
  });
});
