import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { fixedClock } from '../../src/domain/clock.ts';
import { allocateOrderWithRetry } from '../../src/pipeline/allocate-order.ts';
import { importAccounts } from '../../src/pipeline/import-accounts.ts';
import { selectSettledOrders } from '../../src/pipeline/settle.ts';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';
import { getSettings } from '../../src/settings/store.ts';
import { resetInbox, syncOnce } from './sync.ts';

export const HOSTILE_DIR = path.join(import.meta.dirname, '..', 'fixtures', 'hostile');

export function hostileFile(...parts: string[]): string {
  return path.join(HOSTILE_DIR, ...parts);
}

/** The hostile order patches: `orders/<case>.json`, by case name. */
export function hostileOrderPatches(): Map<string, Record<string, unknown>> {
  const dir = hostileFile('orders');
  return new Map(
    fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => [name.replace(/\.json$/, ''), JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'))]),
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A patch laid over a real order: objects merge key by key, arrays element by element (so a patch
 * can change the first line's name and keep its amounts), anything else (null included) replaces.
 */
export function overlay(base: unknown, patch: unknown): unknown {
  if (isObject(base) && isObject(patch)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) out[key] = key in base ? overlay(base[key], value) : value;
    return out;
  }
  if (Array.isArray(base) && Array.isArray(patch)) {
    const out = [...base];
    patch.forEach((value, i) => (out[i] = i < base.length ? overlay(base[i], value) : value));
    return out;
  }
  return patch;
}

export interface Outcome {
  state: string;
  rule: string | null;
  accountCode: string | null;
  lastError: string | null;
}

export async function outcomes(db: Knex): Promise<Map<number, Outcome>> {
  const rows = await db('orders').select('id', 'state', 'rule', 'account_code', 'last_error');
  return new Map(
    rows.map((r: Record<string, unknown>) => [
      Number(r.id),
      {
        state: String(r.state),
        rule: (r.rule as string | null) ?? null,
        accountCode: (r.account_code as string | null) ?? null,
        lastError: (r.last_error as string | null) ?? null,
      },
    ]),
  );
}

/** Allocation as the pipeline runs it after a sync: every settled order; one throwing is recorded, not fatal. */
export async function allocateSettled(db: Knex): Promise<Map<number, string>> {
  const clock = fixedClock('2030-01-01T00:00:00Z');
  const settings = await getSettings(db);
  const thrown = new Map<number, string>();
  for (const order of await selectSettledOrders(db, settings, clock, 10_000)) {
    try {
      await allocateOrderWithRetry(db, order.id, settings, clock, 'hostile-test');
    } catch (err) {
      thrown.set(order.id, err instanceof Error ? err.message : String(err));
    }
  }
  return thrown;
}

/**
 * The real path from a fresh start: the Sage accounts of this shop imported, one sync of the
 * sandbox through the HTTP client, then every settled order allocated.
 */
export async function syncAndAllocate(db: Knex, sandbox: Sandbox): Promise<{ thrown: Map<number, string>; syncError?: string }> {
  await resetInbox(db);
  await db('account_code_writebacks').del();
  await db('sage_account_emails').del();
  await db('sage_accounts').del();
  await importAccounts(
    db,
    (async function* () {
      yield sandbox.sageAccountsXml();
    })(),
    {
      all: false,
      fileName: 'sandbox-accounts.xml',
      actor: 'hostile-test',
      clock: fixedClock('2026-01-01T00:00:00Z'),
    },
  );
  const { error } = await syncOnce({ db, sandbox, since: new Date('2026-01-01T00:00:00Z') });
  const thrown = await allocateSettled(db);
  return { thrown, syncError: error?.message };
}
