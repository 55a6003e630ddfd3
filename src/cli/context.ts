import type { Knex } from 'knex';
import { loadConfig, type AppConfig } from '../../config/env.ts';
import { connectDatabase } from '../db/connect.ts';
import { systemClock, type Clock } from '../domain/clock.ts';
import { createProcessLogger, type Logger } from '../log/logger.ts';
import type { CliIo } from './io.ts';

// The streams live in io.ts, so the CLI's entry can name them without loading the database.
export { processIo, type CliIo } from './io.ts';

export interface CliContext {
  config: AppConfig;
  db: Knex;
  logger: Logger;
  clock: Clock;
}

/** Opens the configured database (migrated), runs `fn`, and always closes the pool. */
export async function withContext<T>(io: CliIo, fn: (ctx: CliContext) => Promise<T>): Promise<T> {
  const config = loadConfig(io.env);
  const { db } = await connectDatabase(config.databaseUrl);
  try {
    return await fn({ config, db, logger: createProcessLogger(config, false), clock: systemClock });
  } finally {
    await db.destroy();
  }
}
