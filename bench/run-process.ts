/**
 * One measured run, in its own process so that its peak RSS is its own: poll → process → deliver
 * against the bench's store, with a timer around each stage. Started by bench/pipeline.ts with
 * fork(); gets a RunRequest over IPC and answers with a RunResult.
 */
import { boundHeapGrowth } from '../src/cli/heap-growth.ts';
import { openDatabase } from '../src/db/connection.ts';
import { systemClock } from '../src/domain/clock.ts';
import { silentLogger } from '../src/log/logger.ts';
import { runSync, type SyncStage } from '../src/pipeline/run-sync.ts';
import { ALL_STAGES } from '../src/pipeline/stages.ts';
import { createWooClient } from '../src/woo/client.ts';
import { BASELINE_STAGES } from './baseline.ts';

export interface RunRequest {
  mode: 'pipeline' | 'baseline';
  databaseUrl: string;
  store: { url: string; consumerKey: string; consumerSecret: string };
  storeId: string;
  since: string;
  outboxDir: string;
}

export interface RunResult {
  ok: boolean;
  error?: string;
  seconds: number;
  stageSeconds: Record<string, number>;
  /** CPU seconds of this process in each stage: the rest of the stage's time it waited. */
  stageCpuSeconds: Record<string, number>;
  stages: Record<string, unknown>;
  clientRequests: number;
  /** process.resourceUsage().maxRSS, in bytes. */
  maxRssBytes: number;
  /** RSS with every module loaded and the database client made, before the first order: what the run adds is the rest. */
  startRssBytes: number;
  /** The process's peak RSS at the end of each stage, in bytes: which stage set the peak. */
  stagePeakRssBytes: Record<string, number>;
  /** CPU time of the pipeline process (user + system), seconds. */
  cpuSeconds: number;
}

function timed(
  stages: readonly SyncStage[],
  seconds: Record<string, number>,
  cpu: Record<string, number>,
  peakRss: Record<string, number>,
): SyncStage[] {
  return stages.map((stage) => ({
    name: stage.name,
    async run(run) {
      const started = performance.now();
      const cpuAtStart = cpuSeconds();
      try {
        await stage.run(run);
      } finally {
        seconds[stage.name] = (performance.now() - started) / 1000;
        cpu[stage.name] = cpuSeconds() - cpuAtStart;
        peakRss[stage.name] = process.resourceUsage().maxRSS * 1024;
      }
    },
  }));
}

function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

async function measure(request: RunRequest): Promise<RunResult> {
  const db = openDatabase(request.databaseUrl);
  const client = createWooClient(request.store, { logger: silentLogger });
  const stageSeconds: Record<string, number> = {};
  const stageCpuSeconds: Record<string, number> = {};
  const stagePeakRssBytes: Record<string, number> = {};
  const startRssBytes = process.memoryUsage().rss;
  const stages = request.mode === 'pipeline' ? ALL_STAGES : BASELINE_STAGES;
  const started = performance.now();
  try {
    const summary = await runSync({
      db,
      client,
      clock: systemClock,
      logger: silentLogger,
      storeId: request.storeId,
      since: new Date(request.since),
      outboxDir: request.outboxDir,
      stages: timed(stages, stageSeconds, stageCpuSeconds, stagePeakRssBytes),
    });
    return {
      ok: true,
      seconds: (performance.now() - started) / 1000,
      stageSeconds,
      stageCpuSeconds,
      stages: summary.stages,
      clientRequests: client.requestCount,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      startRssBytes,
      stagePeakRssBytes,
      cpuSeconds: cpuSeconds(),
    };
  } catch (err) {
    return {
      ok: false,
      error: err instanceof Error ? err.message : String(err),
      seconds: (performance.now() - started) / 1000,
      stageSeconds,
      stageCpuSeconds,
      stages: {},
      clientRequests: client.requestCount,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      startRssBytes,
      stagePeakRssBytes,
      cpuSeconds: cpuSeconds(),
    };
  } finally {
    await db.destroy();
  }
}

// As the CLI does as it starts (src/cli/bin.ts): the run is measured as the product runs.
boundHeapGrowth();

// The bench stopped: do not go on alone.
process.on('disconnect', () => process.exit(1));
process.once('message', (request: RunRequest) => {
  void measure(request).then((result) => process.send!(result, () => process.exit(0)));
});
