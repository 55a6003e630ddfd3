import type { Command } from 'commander';
import type { CliIo } from '../context.ts';
import { registerAccounts } from './accounts.ts';
import { registerMigrate } from './migrate.ts';
import { registerPlan } from './plan.ts';
import { registerSettings } from './settings.ts';

/** Every command of the `woo-sage` CLI, one module each. */
export function registerCommands(program: Command, io: CliIo): void {
  registerMigrate(program, io);
  registerSettings(program, io);
  registerPlan(program, io);
  registerAccounts(program, io);
}
