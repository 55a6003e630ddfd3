import type { Knex } from 'knex';
import type { Clock } from '../domain/clock.ts';
import type { Logger } from '../log/logger.ts';
import type { Settings } from '../settings/schema.ts';
import type { WooClient } from '../woo/client.ts';
import type { OutboxModes } from './outbox-files.ts';
import type { SyncSummary } from './sync-summary.ts';

/**
 * What a sync is made of, apart from running it (run-sync.ts): its dependencies and what each
 * stage is given. The stages import this, run-sync imports the stages.
 */

export interface PollProgress {
  ordersSeen: number;
  /** Orders the store said were modified since the start (X-WP-Total), when known. */
  estimatedTotal: number | undefined;
  pages: number;
}

export interface SyncDeps {
  db: Knex;
  client: WooClient;
  clock: Clock;
  logger: Logger;
  /** The store's identity, normally its URL; the inbox refuses orders of a second store. */
  storeId: string;
  /** Read orders modified since then instead of from the cursor (required on the first sync). */
  since?: Date;
  /** Settings to use; read from the database when absent. */
  settings?: Settings;
  onProgress?: (progress: PollProgress) => void;
  /** How far before the cursor each run re-reads (default 5 minutes). */
  overlapMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Identifies this process in the run lease. */
  owner?: string;
  /** How long the run's lease lasts between heartbeats (default 10 minutes, SYNC_LEASE_SECONDS in serve). */
  leaseTtlMs?: number;
  /** The stages to run; default SYNC_STAGES. */
  stages?: readonly SyncStage[];
  /** Where the deliver stage writes batches (OUTBOX_DIR); no delivery when absent. */
  outboxDir?: string;
  /** Permissions of what the deliver stage writes (OUTBOX_FILE_MODE / OUTBOX_DIR_MODE). */
  outboxModes?: OutboxModes;
  /** Settled orders per transaction in the process stage (default PROCESS_CHUNK_SIZE). */
  processChunkSize?: number;
}

/** What a stage gets: the dependencies, the settings, the summary to add to, and a heartbeat. */
export interface SyncRun {
  deps: SyncDeps;
  settings: Settings;
  summary: SyncSummary;
  /** Call between units of work: keeps the run's lease, throws if another process took it. */
  heartbeat(): Promise<void>;
}

export interface SyncStage {
  name: string;
  run(run: SyncRun): Promise<void>;
}
