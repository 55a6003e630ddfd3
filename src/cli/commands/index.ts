import type { Command } from 'commander';
import type { CliIo } from '../context.ts';
import { registerDemo } from './demo.ts';
import { registerMigrate } from './migrate.ts';
import { registerOrders } from './orders.ts';
import { registerSettings } from './settings.ts';
import { registerSync } from './sync.ts';

/** Every command of the `woo-sage` CLI, one module each. */
export function registerCommands(program: Command, io: CliIo): void {
  registerMigrate(program, io);
  registerSettings(program, io);
  registerOrders(program, io);
  registerSync(program, io);
  registerDemo(program, io);
}
