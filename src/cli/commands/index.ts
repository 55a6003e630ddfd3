import type { Command } from 'commander';
import type { CliIo } from '../context.ts';

export type RegisterCommand = (program: Command, io: CliIo) => void;

export interface CommandEntry {
  readonly name: string;
  /** How the top-level help lists it (`name [options] <args>`), as commander would from the loaded module. */
  readonly term: string;
  readonly description: string;
  /** The command's module, which registers its options, subcommands and actions. */
  readonly load: () => Promise<RegisterCommand>;
}

/**
 * Every command of the `woo-sage` CLI, one module each, in the order the help lists them. A run
 * loads only the module of the command it names: the others pull in knex, express, zod and the
 * pipeline, which took most of `woo-sage --help`'s start-up time and memory (BENCHMARKS.md,
 * "CLI start-up"). The top-level help is made from `term` and `description`;
 * test/cli-lazy-commands.test.ts checks that they say what each module registers.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'migrate',
    term: 'migrate [options]',
    description: 'apply database migrations (the app also migrates on start)',
    load: async () => (await import('./migrate.ts')).registerMigrate,
  },
  {
    name: 'serve',
    term: 'serve [options]',
    description:
      'run the admin page and API on PORT and sync the store on settings.pollSchedule (migrates first; SIGTERM/SIGINT finish the run in hand, then stop)',
    load: async () => (await import('./serve.ts')).registerServe,
  },
  {
    name: 'settings',
    term: 'settings',
    description: 'read or change the settings (validated; every change is audited)',
    load: async () => (await import('./settings.ts')).registerSettings,
  },
  {
    name: 'orders',
    term: 'orders',
    description: 'support tools: list orders, explain one, reprocess, cancel, acknowledge changes after export',
    load: async () => (await import('./orders.ts')).registerOrders,
  },
  {
    name: 'users',
    term: 'users',
    description: 'manage who may use the admin page and API (owner: everything; support: view, reprocess, link)',
    load: async () => (await import('./users.ts')).registerUsers,
  },
  {
    name: 'plan',
    term: 'plan [options]',
    description: 'dry run, no database: which Sage account each order would get, and why',
    load: async () => (await import('./plan.ts')).registerPlan,
  },
  {
    name: 'accounts',
    term: 'accounts',
    description: 'the Sage account mirror and the links between WooCommerce customers and Sage accounts',
    load: async () => (await import('./accounts.ts')).registerAccounts,
  },
  {
    name: 'sync',
    term: 'sync [options]',
    description: 'one run: poll the store for changed orders into the inbox (then the later stages); prints a summary',
    load: async () => (await import('./sync.ts')).registerSync,
  },
  {
    name: 'demo',
    term: 'demo [options]',
    description: 'start the sandbox store, sync it once into the database and print the summary; then keep serving (Ctrl-C stops)',
    load: async () => (await import('./demo.ts')).registerDemo,
  },
  {
    name: 'outbox',
    term: 'outbox',
    description: 'the queue of Sage documents and their delivery to OUTBOX_DIR',
    load: async () => (await import('./outbox.ts')).registerOutbox,
  },
  {
    name: 'results',
    term: 'results',
    description: "record what Sage made of the delivered documents (the importer's results, or a person's mark)",
    load: async () => (await import('./results.ts')).registerResults,
  },
  {
    name: 'books',
    term: 'books [options]',
    description:
      "the reconciliation ledger: per day (the shop's local day), the shop's gross against Sage's, what is not in Sage and why, the difference, refunds and VAT by tax code; from stored data only",
    load: async () => (await import('./books.ts')).registerBooks,
  },
  {
    name: 'check',
    term: 'check [options]',
    description:
      'check the store (WOO_URL and the keys) and the database: one line per finding with its fix; exit 0 ready, 1 not ready, 2 unusable configuration',
    load: async () => (await import('./check.ts')).registerCheck,
  },
  {
    name: 'notify',
    term: 'notify',
    description: 'notifications of held, failed and changed orders, by email (notifySmtp* settings) and/or NOTIFY_WEBHOOK_URL',
    load: async () => (await import('./notify.ts')).registerNotify,
  },
];

/** Registers every command (tests compare the full program with the lazily built one). */
export async function registerAllCommands(program: Command, io: CliIo): Promise<void> {
  const registers = await Promise.all(COMMANDS.map((entry) => entry.load()));
  for (const register of registers) register(program, io);
}
