import type { Command } from 'commander';
import type { CliIo } from '../context.ts';
import { registerAccounts } from './accounts.ts';
import { registerBooks } from './books.ts';
import { registerCheck } from './check.ts';
import { registerDemo } from './demo.ts';
import { registerMigrate } from './migrate.ts';
import { registerNotify } from './notify.ts';
import { registerOrders } from './orders.ts';
import { registerOutbox } from './outbox.ts';
import { registerPlan } from './plan.ts';
import { registerResults } from './results.ts';
import { registerServe } from './serve.ts';
import { registerSettings } from './settings.ts';
import { registerSync } from './sync.ts';
import { registerUsers } from './users.ts';

/** Every command of the `woo-sage` CLI, one module each. */
export function registerCommands(program: Command, io: CliIo): void {
  registerMigrate(program, io);
  registerServe(program, io);
  registerSettings(program, io);
  registerOrders(program, io);
  registerUsers(program, io);
  registerPlan(program, io);
  registerAccounts(program, io);
  registerSync(program, io);
  registerDemo(program, io);
  registerOutbox(program, io);
  registerResults(program, io);
  registerBooks(program, io);
  registerCheck(program, io);
  registerNotify(program, io);
}
