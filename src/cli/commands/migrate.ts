import type { Command } from 'commander';
import { loadConfig } from '../../../config/env.ts';
import { describeDatabaseUrl } from '../../db/database-url.ts';
import { connectDatabase } from '../../db/connect.ts';
import type { CliIo } from '../context.ts';

export function registerMigrate(program: Command, io: CliIo): void {
  program
    .command('migrate')
    .description('apply database migrations (the app also migrates on start)')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = loadConfig(io.env);
      const { db, applied } = await connectDatabase(config.databaseUrl);
      try {
        if (options.json) {
          io.out(JSON.stringify({ applied }));
        } else {
          io.out(applied.length ? `applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}` : 'database is up to date');
          io.out(`database: ${describeDatabaseUrl(config.databaseUrl)}`);
        }
      } finally {
        await db.destroy();
      }
    });
}
