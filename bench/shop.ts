/**
 * What every pipeline bench starts from: the same seeded sandbox shop, and a database made ready
 * before the clock starts (schema, the shop's Sage accounts export in the mirror, no settle wait).
 */
import fs from 'node:fs';
import type { Knex } from 'knex';
import { migrateLatest } from '../src/db/migrator.ts';
import { systemClock } from '../src/domain/clock.ts';
import { importAccounts } from '../src/pipeline/import-accounts.ts';
import type { SandboxOptions } from '../src/sandbox/sandbox.ts';
import { updateSettings } from '../src/settings/store.ts';

/** The bench's shop of `orders` orders. */
export function benchShop(orders: number): SandboxOptions {
  return {
    seed: 20261123,
    orders,
    // A third as many registered customers as orders: repeat buyers, as in a real shop.
    customers: Math.max(10, Math.round(orders / 3)),
    maxLines: 10,
    tieOrder: 'stable',
  };
}

/** Migrates `db`, imports the shop's Sage accounts export (`accountsFile`) and makes every order due at once. */
export async function prepareBenchDatabase(db: Knex, accountsFile: string): Promise<void> {
  await migrateLatest(db);
  await importAccounts(db, fs.createReadStream(accountsFile), {
    all: true,
    actor: 'bench',
    clock: systemClock,
    fileName: 'sage-accounts.xml',
  });
  await updateSettings(db, { settleMinutes: 0 }, 'bench');
}
