import type { Knex } from 'knex';
import type { InMemoryMirror } from '../domain/allocation/in-memory-mirror.ts';
import { toUtcIso } from '../domain/clock.ts';

type Db = Knex | Knex.Transaction;

export interface AccountClash {
  id: number;
  code: string;
  state: 'open' | 'recoded';
  importId: number;
  detectedAt: string;
  sage: { name: string | null; emails: string[]; details: Record<string, unknown> };
  created: { name: string | null; emails: string[] };
  newCode: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  instructions: string[];
}

function toClash(row: Record<string, unknown>): AccountClash {
  return {
    id: Number(row.id),
    code: String(row.code),
    state: row.state as AccountClash['state'],
    importId: Number(row.import_id),
    detectedAt: String(row.detected_at),
    sage: {
      name: (row.sage_name as string | null) ?? null,
      emails: JSON.parse(String(row.sage_emails)) as string[],
      details: JSON.parse(String(row.sage_details)) as Record<string, unknown>,
    },
    created: { name: (row.created_name as string | null) ?? null, emails: JSON.parse(String(row.created_emails)) as string[] },
    newCode: (row.new_code as string | null) ?? null,
    resolvedAt: (row.resolved_at as string | null) ?? null,
    resolvedBy: (row.resolved_by as string | null) ?? null,
    instructions: row.instructions ? (JSON.parse(String(row.instructions)) as string[]) : [],
  };
}

/** Records (or refreshes, for a later import) the open clash of a code. */
export async function recordClash(
  db: Db,
  clash: { code: string; importId: number; at: Date; sage: AccountClash['sage']; created: AccountClash['created'] },
): Promise<void> {
  const row = {
    import_id: clash.importId,
    detected_at: toUtcIso(clash.at),
    sage_name: clash.sage.name?.slice(0, 255) ?? null,
    sage_emails: JSON.stringify(clash.sage.emails),
    sage_details: JSON.stringify(clash.sage.details),
    created_name: clash.created.name?.slice(0, 255) ?? null,
    created_emails: JSON.stringify(clash.created.emails),
  };
  const updated = await db('account_code_clashes').where({ code: clash.code, state: 'open' }).update(row);
  if (updated === 0) await db('account_code_clashes').insert({ ...row, code: clash.code, state: 'open' });
}

export async function findOpenClash(db: Db, code: string): Promise<AccountClash | undefined> {
  const row = await db('account_code_clashes').where({ code, state: 'open' }).first();
  return row && row.code === code ? toClash(row) : undefined;
}

export async function listClashes(db: Db, filter: { state?: AccountClash['state']; limit?: number } = {}): Promise<AccountClash[]> {
  const query = db('account_code_clashes')
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 500);
  if (filter.state) query.where({ state: filter.state });
  return (await query).map(toClash);
}

export async function markRecoded(
  db: Db,
  id: number,
  resolution: { newCode: string; actor: string; at: Date; instructions: string[] },
): Promise<void> {
  await db('account_code_clashes')
    .where({ id, state: 'open' })
    .update({
      state: 'recoded',
      new_code: resolution.newCode,
      resolved_by: resolution.actor.slice(0, 191),
      resolved_at: toUtcIso(resolution.at),
      instructions: JSON.stringify(resolution.instructions),
    });
}

/** The sentence allocation holds an order with while the clash is open. */
export function clashSentence(clash: AccountClash): string {
  const who = `${clash.sage.name ? JSON.stringify(clash.sage.name) : 'another customer'}${clash.sage.emails.length ? ` (${clash.sage.emails.join(', ')})` : ''}`;
  return `Sage's own ${clash.code} is ${who}, another customer than the one woo-sage created it for (found by the import of ${clash.detectedAt.slice(0, 10)})`;
}

/**
 * Marks the mirror's accounts that clash, and lets Sage's emails of a clashing code find it: an
 * order of either buyer is then held (never given a second new code) until the code is re-coded.
 */
export async function applyOpenClashes(db: Db, mirror: InMemoryMirror, emails: readonly string[]): Promise<void> {
  const rows = await db('account_code_clashes').where({ state: 'open' }).limit(1000);
  if (rows.length === 0) return;
  const wanted = new Set(emails);
  for (const clash of rows.map(toClash)) {
    const known = mirror.byCode(clash.code);
    const matching = clash.sage.emails.filter((e) => wanted.has(e));
    if (!known && matching.length === 0) continue;
    mirror.put({
      ...(known ?? { code: clash.code, name: clash.created.name, status: 'pending', ownerKey: null, emails: [] }),
      emails: [...(known?.emails ?? []), ...matching],
      clash: clashSentence(clash),
    });
  }
}
