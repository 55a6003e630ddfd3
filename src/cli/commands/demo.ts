import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import type { Knex } from 'knex';
import { addUser } from '../../auth/users.ts';
import { countActiveOwners, findUserByUsername } from '../../db/users.ts';
import { importAccountsFile } from '../../pipeline/import-accounts.ts';
import { ALL_STAGES } from '../../pipeline/stages.ts';
import { runSync, SyncFailedError } from '../../pipeline/run-sync.ts';
import { formatSummary } from '../../pipeline/sync-summary.ts';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.ts';
import { createWooClient } from '../../woo/client.ts';
import { startService } from '../../main.ts';
import { withContext, type CliIo } from '../context.ts';
import { CliExit, EXIT_FAILED, EXIT_USAGE } from '../exit-codes.ts';

/**
 * The demo shop: fixed seed, keys and dates, so every demo shows the same orders and a second
 * demo finds them unchanged. Its keys are public on purpose; they open nothing but this sandbox.
 */
export const DEMO_SHOP = {
  seed: 42,
  customers: 120,
  startAt: '2026-09-01T08:00:00Z',
  secondsPerOrder: 3_517,
  consumerKey: 'ck_demo_00000000000000000000000000000000000',
  consumerSecret: 'cs_demo_00000000000000000000000000000000000',
  storeId: 'woo-sage-demo-sandbox',
} as const;

/**
 * A newcomer running the demo has no user yet; give them one they can sign in with at once. Only
 * when no owner exists, so a real installation's users are never touched.
 */
async function ensureDemoOwner(db: Knex): Promise<{ username: string; password: string } | undefined> {
  if ((await countActiveOwners(db)) > 0) return undefined;
  const username = (await findUserByUsername(db, 'demo')) ? `demo-${randomBytes(2).toString('hex')}` : 'demo';
  const password = randomBytes(12).toString('base64url');
  await addUser(db, { username, password, role: 'owner' }, 'system:demo');
  return { username, password };
}

function waitForStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function registerDemo(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('start the sandbox store, sync it once into the database and print the summary; then keep serving (Ctrl-C stops)')
    .option('--no-serve', 'exit after the summary')
    .option('--orders <n>', 'orders in the sandbox store', '300')
    .action(async (options: { serve: boolean; orders: string }) => {
      const orders = Number(options.orders);
      if (!Number.isInteger(orders) || orders < 1 || orders > 1_000_000)
        throw new CliExit(EXIT_USAGE, `--orders: expected a whole number 1-1000000 (got ${JSON.stringify(options.orders)})`);
      await withContext(io, async ({ config, db, logger: appLogger, clock }) => {
        // The demo prints its own summary; routine log lines would only clutter it.
        const logger = config.logLevel === 'info' ? appLogger.child({}, { level: 'warn' }) : appLogger;
        const sandbox: Sandbox = await startSandbox({ ...DEMO_SHOP, orders });
        try {
          const accountsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-demo-'));
          const accountsFile = path.join(accountsDir, 'sage-accounts.xml');
          fs.writeFileSync(accountsFile, sandbox.sageAccountsXml());
          io.out(`sandbox store: ${sandbox.url} (${orders} orders, ${DEMO_SHOP.customers} customers)`);
          io.out(`Sage customer export of the matching accounts: ${accountsFile}`);
          // Going live in the right order: Sage's own customers first, so buyers Sage knows are
          // matched by email and no new code is one Sage already uses for somebody else.
          const imported = await importAccountsFile(db, accountsFile, { all: false, actor: 'system:demo', clock });
          io.out(
            `imported the Sage customer export first: ${imported.customers} account(s) (${imported.created} new, ${imported.updated} updated, ${imported.confirmed} confirmed)`,
          );
          for (const warning of imported.warnings) io.out(`  warning: ${warning}`);
          const client = createWooClient(
            { url: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret },
            { logger },
          );
          try {
            const summary = await runSync({
              db,
              client,
              clock,
              logger,
              outboxDir: config.outboxDir,
              outboxModes: config.outboxModes,
              stages: ALL_STAGES,
              storeId: DEMO_SHOP.storeId,
              since: new Date(Date.parse(DEMO_SHOP.startAt) - 86_400_000),
            });
            io.out(formatSummary(summary));
          } catch (err) {
            if (!(err instanceof SyncFailedError)) throw err;
            throw new CliExit(err.code === 'STORE_MISMATCH' ? EXIT_USAGE : EXIT_FAILED, `demo sync failed: ${err.message}`);
          }
          if (!options.serve) return;
          const demoUser = config.adminPassword ? undefined : await ensureDemoOwner(db);
          // The admin API and page, and the scheduler syncing the sandbox, as `woo-sage serve` would.
          // The page's "Test connection" and linking use the configured store: here, the sandbox.
          const demoConfig = Object.freeze({
            ...config,
            wooUrl: sandbox.url,
            wooConsumerKey: sandbox.consumerKey,
            wooConsumerSecret: sandbox.consumerSecret,
          });
          const admin = await startService(demoConfig, {
            logger,
            store: { url: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret },
            storeId: DEMO_SHOP.storeId,
            syncOnStart: false,
          });
          io.out(`admin page: ${admin.url}`);
          if (demoUser) io.out(`  sign in as "${demoUser.username}" with password ${demoUser.password} (an owner created for this demo)`);
          else io.out('  sign in with an owner account (`npx woo-sage users add NAME --role owner`, or ADMIN_PASSWORD)');
          io.out(`the sandbox store keeps running at ${sandbox.url}, synced on the poll schedule (settings: pollSchedule)`);
          io.out('  Settings → Test connection on the page checks it as `woo-sage check` checks a real store');
          io.out('press Ctrl-C to stop');
          const signal = await waitForStopSignal();
          await admin.stop(signal);
        } finally {
          await sandbox.close();
        }
      });
    });
}
