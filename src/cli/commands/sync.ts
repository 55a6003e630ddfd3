import type { Command } from 'commander';
import { requireStoreConfig } from '../../../config/env.ts';
import { ValidationError } from '../../domain/errors.ts';
import { ALL_STAGES } from '../../pipeline/stages.ts';
import { runSync, SyncFailedError } from '../../pipeline/run-sync.ts';
import { formatSummary, type SyncSummary } from '../../pipeline/sync-summary.ts';
import { createWooClient } from '../../woo/client.ts';
import { storeIdOf } from '../../woo/store-id.ts';
import { processIo, withContext, type CliIo } from '../context.ts';
import { CliExit, EXIT_FAILED, EXIT_USAGE } from '../exit-codes.ts';
import { createProgressLine } from '../progress.ts';

/** "2026-01-31" (midnight UTC) or a full ISO time ("2026-01-31T09:00:00Z"). */
export function parseSinceOption(value: string): Date {
  const text = value.trim();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const at = /^\d{4}-\d{2}-\d{2}T/.test(iso) ? new Date(iso) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) {
    throw new ValidationError(`--since: expected a date such as 2026-01-31 or 2026-01-31T09:00:00Z (got ${JSON.stringify(value)})`);
  }
  return at;
}

/** Failures that are about how the command was asked (exit 2) rather than the run itself (exit 1). */
const USAGE_CODES = new Set(['FIRST_SYNC_NEEDS_SINCE', 'STORE_MISMATCH']);

export function printSummary(io: CliIo, summary: SyncSummary, json: boolean): void {
  io.out(json ? JSON.stringify(summary) : formatSummary(summary));
}

export function registerSync(program: Command, io: CliIo): void {
  program
    .command('sync')
    .description('one run: poll the store for changed orders into the inbox (then the later stages); prints a summary')
    .option('--since <date>', 'read orders modified since DATE (needed on the first sync; later runs continue from the cursor)')
    .option('--json', 'print the summary as one JSON object')
    .action(async (options: { since?: string; json?: boolean }) => {
      const since = options.since === undefined ? undefined : parseSinceOption(options.since);
      await withContext(io, async ({ config, db, logger, clock }) => {
        const store = requireStoreConfig(config);
        const client = createWooClient(store, { logger });
        const progress = createProgressLine(io === processIo ? process.stderr : { write: () => undefined }, 'orders');
        try {
          const summary = await runSync({
            db,
            client,
            clock,
            logger,
            outboxDir: config.outboxDir,
            outboxModes: config.outboxModes,
            stages: ALL_STAGES,
            storeId: storeIdOf(store.url),
            since,
            onProgress: (p) => progress.update(p.ordersSeen, p.estimatedTotal, `${p.pages} page(s)`),
          });
          progress.finish();
          printSummary(io, summary, options.json === true);
        } catch (err) {
          progress.finish();
          if (!(err instanceof SyncFailedError)) throw err;
          if (options.json) printSummary(io, err.summary, true);
          else if (err.summary.pages > 0) io.out(formatSummary(err.summary));
          throw new CliExit(USAGE_CODES.has(err.code) ? EXIT_USAGE : EXIT_FAILED, `sync failed: ${err.message}`);
        }
      });
    });
}
