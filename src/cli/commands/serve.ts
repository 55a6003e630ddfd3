import type { Command } from 'commander';
import { loadConfig, requireStoreConfig } from '../../../config/env.ts';
import { createProcessLogger } from '../../log/logger.ts';
import { startService, stopOnSignal } from '../../main.ts';
import type { CliIo } from '../context.ts';
import { parseSinceOption } from './sync.ts';

export function registerServe(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description(
      'run the admin page and API on PORT and sync the store on settings.pollSchedule (migrates first; SIGTERM/SIGINT finish the run in hand, then stop)',
    )
    .option('--since <date>', 'where the very first sync starts, if this database has never synced (later runs continue from the cursor)')
    .option('--no-sync-on-start', 'wait for the first scheduled tick instead of syncing at once')
    .action(async (options: { since?: string; syncOnStart: boolean }) => {
      const config = loadConfig(io.env);
      const store = requireStoreConfig(config);
      const since = options.since === undefined ? undefined : parseSinceOption(options.since);
      const logger = createProcessLogger(config, true);
      const service = await startService(config, { logger, store, since, syncOnStart: options.syncOnStart });
      io.out(`woo-sage admin page and API listening on ${service.url}; syncing ${store.url} (Ctrl-C stops it)`);
      await stopOnSignal(service);
    });
}
