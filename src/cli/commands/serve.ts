import type { Command } from 'commander';
import { loadConfig } from '../../config/env.ts';
import { createLogger } from '../../log/logger.ts';
import { startService, stopOnSignal } from '../../main.ts';
import type { CliIo } from '../context.ts';

export function registerServe(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('run the admin API and page on PORT (migrates first; SIGTERM/SIGINT stop it gracefully)')
    .action(async () => {
      const config = loadConfig(io.env);
      const logger = createLogger(config.logLevel);
      const service = await startService(config, { logger });
      io.out(`woo-sage admin page and API listening on ${service.url} (Ctrl-C stops it)`);
      await stopOnSignal(service);
    });
}
