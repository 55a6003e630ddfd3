import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { fixedClock } from '../../src/domain/clock.ts';
import { importAccounts } from '../../src/pipeline/import-accounts.ts';
import { EXPORT_STAGES } from '../../src/pipeline/process-orders.ts';
import { SYNC_STAGES } from '../../src/pipeline/run-sync.ts';
import type { SyncSummary } from '../../src/pipeline/sync-summary.ts';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';
import { childElement, childElements, childText, parseXmlTree, type XmlElement } from '../../src/sage/xml-tree.ts';
import { outboxFiles } from './outbox.ts';
import { readSalesOrders, type ImportedOrder } from './sage-xml.ts';
import { resetPipeline, syncOnce } from './sync.ts';

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
 * Three directives keep amounts consistent while changing their type or shape:
 * `{"$number": true}` is the order's own value as a JSON number, `{"$string": true}` as a string,
 * `{"$replace": value}` replaces without merging.
 */
export function overlay(base: unknown, patch: unknown): unknown {
  if (isObject(patch) && patch.$number === true) return Number(base);
  if (isObject(patch) && patch.$string === true) return String(base);
  if (isObject(patch) && '$replace' in patch) return patch.$replace;
  if (isObject(base) && isObject(patch)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) out[key] = overlay(base[key], value);
    return out;
  }
  if (Array.isArray(base) && Array.isArray(patch)) {
    const out = [...base];
    patch.forEach((value, i) => (out[i] = overlay(base[i], value)));
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

/**
 * The real path from a fresh start: the Sage accounts of this shop imported, then one full sync
 * of the sandbox through the HTTP client (poll → allocate and queue → deliver to `outboxDir`).
 */
export async function syncAndExport(db: Knex, sandbox: Sandbox, outboxDir: string): Promise<{ summary: SyncSummary; error?: string }> {
  await resetPipeline(db);
  await db('sage_account_emails').del();
  await db('sage_accounts').del();
  await importAccounts(
    db,
    (async function* () {
      yield sandbox.sageAccountsXml();
    })(),
    { all: false, fileName: 'sandbox-accounts.xml', actor: 'hostile-test', clock: fixedClock('2026-01-01T00:00:00Z') },
  );
  const { summary, error } = await syncOnce({
    db,
    sandbox,
    since: new Date('2026-01-01T00:00:00Z'),
    extra: { stages: [...SYNC_STAGES, ...EXPORT_STAGES], outboxDir },
  });
  return { summary, error: error?.message };
}

export interface DeliveredDocuments {
  /** By SalesOrder Id, as an importer reads them (totals recomputed the way Sage does). */
  salesOrders: Map<string, ImportedOrder>;
  /** By AccountReference. */
  customers: Map<string, XmlElement>;
}

/** Every document in the outbox files, read back with a real XML parser. */
export function deliveredDocuments(outboxDir: string): DeliveredDocuments {
  const documents: DeliveredDocuments = { salesOrders: new Map(), customers: new Map() };
  for (const name of outboxFiles(outboxDir)) {
    const xml = fs.readFileSync(path.join(outboxDir, name), 'utf8');
    if (name.endsWith('-sales-orders.xml')) for (const order of readSalesOrders(xml)) documents.salesOrders.set(order.id, order);
    else
      for (const customer of childElements(childElement(parseXmlTree(xml), 'Customers'), 'Customer'))
        documents.customers.set(childText(customer, 'AccountReference'), customer);
  }
  return documents;
}
