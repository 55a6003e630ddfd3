import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { listUnfinishedFolderBatches } from '../../db/export-batches.ts';
import { countJobs } from '../../db/export-jobs.ts';
import { deliverToFolder } from '../../pipeline/deliver-to-folder.ts';
import { withContext, type CliIo } from '../context.ts';
import { CliExit, EXIT_FAILED } from '../exit-codes.ts';
import { table } from '../format.ts';

function parseBatchSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new InvalidArgumentError('expected a whole number 1-10000');
  return n;
}

export function registerOutbox(program: Command, io: CliIo): void {
  const outbox = program.command('outbox').description('the queue of Sage documents and their delivery to OUTBOX_DIR');

  outbox
    .command('deliver')
    .description('deliver queued documents to OUTBOX_DIR now (finishing any batch an earlier run left)')
    .option('--max-per-batch <n>', 'documents per batch file', parseBatchSize, 100)
    .option('--json', 'print the report as JSON')
    .action(async (options: { maxPerBatch: number; json?: boolean }) => {
      await withContext(io, async ({ db, config, clock }) => {
        const report = await deliverToFolder(db, {
          outboxDir: config.outboxDir,
          modes: config.outboxModes,
          clock,
          maxPerBatch: options.maxPerBatch,
        });
        if (options.json) io.out(JSON.stringify(report, null, 2));
        else {
          io.out(`delivered ${report.documents} document(s) in ${report.batches.length} batch(es) to ${config.outboxDir}`);
          for (const batch of report.batches)
            io.out(`  ${batch.files.join(', ') || batch.name}${batch.recovered ? ' (finished after an interruption)' : ''}`);
        }
        for (const error of report.errors) {
          const retry = error.retryAt ? `; tried again after ${error.retryAt}` : '';
          const failed = error.failedJobs.length ? `; ${error.failedJobs.length} document(s) failed after their last attempt` : '';
          io.err(`batch ${error.batchId} not delivered: ${error.message}${retry}${failed}`);
        }
        for (const reject of report.rejected) io.err(`document ${reject.jobId} failed (not retried): ${reject.problem}`);
        if (report.errors.length > 0) throw new CliExit(EXIT_FAILED);
      });
    });

  outbox
    .command('status')
    .description('documents by kind and state, and batches waiting to be finished')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }) => {
      await withContext(io, async ({ db }) => {
        const counts = await countJobs(db);
        const unfinished = await listUnfinishedFolderBatches(db);
        if (options.json) {
          io.out(
            JSON.stringify(
              {
                documents: counts,
                unfinishedBatches: unfinished.map((b) => ({ id: b.id, name: b.name, state: b.state, lastError: b.lastError })),
              },
              null,
              2,
            ),
          );
          return;
        }
        io.out(
          counts.length
            ? table(
                ['kind', 'state', 'documents'],
                counts.map((c) => [c.kind, c.state, c.count]),
              )
            : 'the outbox is empty',
        );
        for (const b of unfinished) io.out(`unfinished batch ${b.name} (${b.state})${b.lastError ? `: ${b.lastError}` : ''}`);
      });
    });
}
