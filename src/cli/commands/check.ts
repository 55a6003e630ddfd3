import type { Command } from 'commander';
import { buildReport, finding, formatReport, type CheckReport } from '../../check/findings.ts';
import { runCheck, type CheckDeps } from '../../check/run-check.ts';
import { ConfigError, loadConfig, type AppConfig } from '../../../config/env.ts';
import { openDatabase } from '../../db/connection.ts';
import { migrateLatest } from '../../db/migrator.ts';
import { systemClock } from '../../domain/clock.ts';
import type { CliIo } from '../context.ts';
import { CliExit } from '../exit-codes.ts';

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
      const report = await checkWithEnvironment(io.env);
      io.out(options.json ? JSON.stringify(report) : formatReport(report));
      if (report.exitCode !== 0) throw new CliExit(report.exitCode);
    });
}

/** A bad variable is a finding too, so `--json` always prints one object. */
async function checkWithEnvironment(env: NodeJS.ProcessEnv): Promise<CheckReport> {
  let config: AppConfig;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const findings = err.problems.map((line) =>
      finding('config', 'fatal', line, `correct ${line.split(':')[0]} (see README, "Configuration")`),
    );
    return buildReport(null, findings, systemClock.now());
  }
  const db = openDatabase(config.databaseUrl);
  try {
    let database: CheckDeps['database'];
    try {
      await migrateLatest(db);
      database = { db };
    } catch (err) {
      database = { problem: err instanceof Error ? err.message : String(err) };
    }
    return await runCheck({ config, database, clock: systemClock });
  } finally {
    await db.destroy();
  }
}
