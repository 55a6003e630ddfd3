import type { Knex } from 'knex';
import { loadConfig, type AppConfig } from '../../config/env.ts';
import { connectDatabase } from '../db/connect.ts';
import { systemClock, type Clock } from '../domain/clock.ts';
import { createProcessLogger, type Logger } from '../log/logger.ts';
import { processInput, type CliInput } from './secret-input.ts';

export interface CliContext {
  config: AppConfig;
  db: Knex;
  logger: Logger;
  clock: Clock;
}

/** Output streams, injectable so commands can be tested in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Standard input, for secrets (`--password-stdin`, hidden prompts); absent in most tests. */
  input?: CliInput;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  env: process.env,
  input: processInput,
};

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
