import { EXPORT_STAGES } from './process-orders.ts';
import { SYNC_STAGES } from './run-sync.ts';
import type { SyncRun, SyncStage } from './sync-run.ts';
import { writeBackNewCodes } from './write-back-new-codes.ts';

/** Writes new account codes back to buyers' profiles (when writeBackNewCodes is on) after the export. */
async function writeBackStage(run: SyncRun): Promise<void> {
  if (!run.settings.writeBackNewCodes) return;
  const { db, client, clock } = run.deps;
  const result = await writeBackNewCodes(db, client, { clock, actor: 'sync' });
  run.summary.stages['write-back'] = { written: result.written, skipped: result.skipped, retrying: result.retrying, failed: result.failed };
}

/** Everything one run does: poll → inbox → allocate → render → queue → deliver → write codes back. */
export const ALL_STAGES: readonly SyncStage[] = [...SYNC_STAGES, ...EXPORT_STAGES, { name: 'write-back', run: writeBackStage }];
