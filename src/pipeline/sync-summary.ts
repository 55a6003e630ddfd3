import type { OrderState } from '../domain/order-state.ts';

export interface SyncProblem {
  orderId?: number;
  customerId?: number;
  reason: string;
}

/** What one sync run did; printed by `woo-sage sync` (text, or this object with --json). */
export interface SyncSummary {
  ok: boolean;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** The store's address (never its keys). */
  store: string;
  /** modified_after the poll started from and the cursor it left. */
  cursor: { from: string | null; to: string | null };
  /** Distinct orders read this run, by what happened to them. held/waiting/changedAfterExport count where they went. */
  orders: {
    seen: number;
    new: number;
    changed: number;
    unchanged: number;
    changedAfterExport: number;
    held: number;
    waiting: number;
    skipped: number;
  };
  customers: { fetched: number; missing: number };
  /** Order pages read (a page is at most 100 orders). */
  pages: number;
  /** HTTP requests sent to the store, retries included. */
  storeRequests: number;
  /** Inbox totals by state after the run. */
  inbox: Partial<Record<OrderState, number>>;
  /** Counts reported by each stage, by stage name ("poll", and the later stages). */
  stages: Record<string, Record<string, number>>;
  /** Where this run's Sage XML went: OUTBOX_DIR as an absolute path and the files written (the first MAX_LISTED_FILES). */
  outbox?: { dir: string; filesWritten: number; files: string[] };
  /** The first problems met (held orders, skipped payloads, orders changed after export…). */
  problems: SyncProblem[];
  problemCount: number;
  /** What a person must do for the shop as a whole (e.g. import the Sage customers first). */
  notices: string[];
  error?: { code: string; message: string };
}

export const MAX_LISTED_PROBLEMS = 50;
export const MAX_LISTED_FILES = 20;

export function emptySummary(store: string, startedAt: Date): SyncSummary {
  return {
    ok: false,
    startedAt: startedAt.toISOString(),
    finishedAt: startedAt.toISOString(),
    durationMs: 0,
    store,
    cursor: { from: null, to: null },
    orders: { seen: 0, new: 0, changed: 0, unchanged: 0, changedAfterExport: 0, held: 0, waiting: 0, skipped: 0 },
    customers: { fetched: 0, missing: 0 },
    pages: 0,
    storeRequests: 0,
    inbox: {},
    stages: {},
    problems: [],
    problemCount: 0,
    notices: [],
  };
}

export function addProblems(summary: SyncSummary, problems: readonly SyncProblem[]): void {
  summary.problemCount += problems.length;
  for (const p of problems) if (summary.problems.length < MAX_LISTED_PROBLEMS) summary.problems.push(p);
}

function describeOutbox(outbox: NonNullable<SyncSummary['outbox']>): string[] {
  if (outbox.filesWritten === 0) return [`  Sage XML: no new file in ${outbox.dir}`];
  const more = outbox.filesWritten - outbox.files.length;
  return [
    `  Sage XML: ${outbox.filesWritten} file(s) written to ${outbox.dir}:`,
    ...outbox.files.map((name) => `    ${name}`),
    ...(more > 0 ? [`    … and ${more} more`] : []),
  ];
}

/** The summary for a person reading a terminal or a log. */
export function formatSummary(s: SyncSummary): string {
  const o = s.orders;
  const lines = [
    `sync ${s.ok ? 'finished' : 'FAILED'} in ${(s.durationMs / 1000).toFixed(1)} s — store ${s.store}`,
    `  orders seen ${o.seen}: new ${o.new}, changed ${o.changed}, unchanged ${o.unchanged}; skipped ${o.skipped}`,
    `  of those, into the inbox as waiting ${o.waiting}, held on arrival ${o.held}, changed after export ${o.changedAfterExport}`,
    `  customers fetched ${s.customers.fetched}${s.customers.missing ? `, no longer in the store ${s.customers.missing}` : ''}`,
    `  ${s.pages} order page(s), ${s.storeRequests} store request(s); cursor ${s.cursor.from ?? '(start)'} → ${s.cursor.to ?? '(unchanged)'}`,
  ];
  for (const [stage, counts] of Object.entries(s.stages)) {
    if (stage === 'poll') continue;
    lines.push(
      `  ${stage}: ${
        Object.entries(counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'nothing to do'
      }`,
    );
  }
  if (s.outbox) lines.push(...describeOutbox(s.outbox));
  const inbox = Object.entries(s.inbox).filter(([, n]) => (n ?? 0) > 0);
  if (inbox.length) lines.push(`  inbox: ${inbox.map(([state, n]) => `${state} ${n}`).join(', ')}`);
  if (s.problemCount > 0) {
    lines.push(`  problems (${s.problemCount}${s.problemCount > s.problems.length ? `, first ${s.problems.length} shown` : ''}):`);
    for (const p of s.problems)
      lines.push(`    ${p.orderId ? `order ${p.orderId}: ` : p.customerId ? `customer ${p.customerId}: ` : ''}${p.reason}`);
  }
  for (const notice of s.notices) lines.push(`  NOTE: ${notice}`);
  if (s.error) lines.push(`  error ${s.error.code}: ${s.error.message}`);
  return lines.join('\n');
}
