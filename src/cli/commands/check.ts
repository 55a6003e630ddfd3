import type { Command } from 'commander';
import { formatReport } from '../../check/findings.ts';
import { runCheck, type CheckDeps } from '../../check/run-check.ts';
import { loadConfig } from '../../config/env.ts';
import { openDatabase } from '../../db/connection.ts';
import { migrateLatest } from '../../db/migrator.ts';
import { systemClock } from '../../domain/clock.ts';
import type { CliIo } from '../context.ts';
import { CliExit } from '../main.ts';

/**
 * `woo-sage check [--json]`: the setup doctor. Unlike other commands it reports a database it
 * cannot open as a finding (and goes on to check the store) instead of stopping at it.
 */
export function registerCheck(program: Command, io: CliIo): void {
  program
    .command('check')
    .description(
      'check the store (WOO_URL and the keys) and the database: one line per finding with its fix; exit 0 ready, 1 not ready, 2 unusable configuration',
    )
    .option('--json', 'print the findings as one JSON object')
    .action(async (options: { json?: boolean }) => {
      const config = loadConfig(io.env);
      const db = openDatabase(config.databaseUrl);
      try {
        let database: CheckDeps['database'];
        try {
          await migrateLatest(db);
          database = { db };
        } catch (err) {
          database = { problem: err instanceof Error ? err.message : String(err) };
        }
        const report = await runCheck({ config, database, clock: systemClock });
        io.out(options.json ? JSON.stringify(report) : formatReport(report));
        if (report.exitCode !== 0) throw new CliExit(report.exitCode);
      } finally {
        await db.destroy();
      }
    });
}
