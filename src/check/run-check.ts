import type { Knex } from 'knex';
import { ConfigError, requireStoreConfig, type AppConfig, type StoreConfig } from '../../config/env.ts';
import { describeDatabaseUrl } from '../db/database-url.ts';
import type { Clock } from '../domain/clock.ts';
import { silentLogger } from '../log/logger.ts';
import { redactText } from '../log/redact-text.ts';
import { DEFAULT_SETTINGS, type Settings } from '../settings/schema.ts';
import { getSettings } from '../settings/store.ts';
import { createWooClient, type WooClient } from '../woo/client.ts';
import { checkAccountImport } from './database-checks.ts';
import { buildReport, finding, type CheckReport, type Finding } from './findings.ts';
import { checkKeys } from './key-checks.ts';
import { checkPaymentGateways } from './payment-checks.ts';
import { checkShopSettings } from './shop-settings-checks.ts';
import { checkTaxRates } from './tax-rate-checks.ts';
import { checkWordPress } from './wordpress-checks.ts';

export interface CheckTimeouts {
  /** The first, unauthenticated request: how long an unreachable store keeps a person waiting. */
  reachMs: number;
  /** Each API request (system_status runs WooCommerce's own self-tests and can take seconds). */
  requestMs: number;
}

export const DEFAULT_CHECK_TIMEOUTS: Readonly<CheckTimeouts> = Object.freeze({ reachMs: 8_000, requestMs: 20_000 });

export interface CheckDeps {
  config: AppConfig;
  /** The opened database, or why it could not be opened (then the saved settings are unknown). */
  database: { db: Knex } | { problem: string };
  clock: Clock;
  timeouts?: Partial<CheckTimeouts>;
}

function hasFatal(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.level === 'fatal');
}

/** The store's variables, or the fatal finding that names the missing ones. */
function storeConfig(config: AppConfig): StoreConfig | Finding {
  try {
    return requireStoreConfig(config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const missing = err.problems.map((p) => p.split(':')[0]);
    return finding(
      'config.store',
      'fatal',
      `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set, so the store cannot be checked`,
      'set WOO_URL to the shop’s address and WOO_CONSUMER_KEY / WOO_CONSUMER_SECRET to a WooCommerce REST API key (see README, "Point it at a real store")',
    );
  }
}

async function checkStore(store: StoreConfig, settings: Settings, timeouts: CheckTimeouts): Promise<Finding[]> {
  const wordpress = await checkWordPress(store.url, timeouts.reachMs);
  const findings = [...wordpress.findings];
  if (!wordpress.site || hasFatal(findings)) return findings;
  // One attempt and a short timeout: a person is waiting, and the findings say what to fix.
  const client: WooClient = createWooClient(store, { logger: silentLogger, timeoutMs: timeouts.requestMs, retry: { attempts: 1 } });
  findings.push(...(await checkKeys(client, settings)));
  if (hasFatal(findings)) return findings;
  findings.push(...(await checkShopSettings(client, wordpress.site, settings)));
  findings.push(...(await checkTaxRates(client, settings)));
  findings.push(...(await checkPaymentGateways(client, settings)));
  return findings;
}

/**
 * `woo-sage check`: against the configured store and database, one finding per fact with its fix.
 * Every store request is a read, but for one POST to a route WooCommerce does not have (how a key's
 * write permission is learnt without writing); nothing is written to the database either.
 */
export async function runCheck(deps: CheckDeps): Promise<CheckReport> {
  const timeouts = { ...DEFAULT_CHECK_TIMEOUTS, ...deps.timeouts };
  const findings: Finding[] = [];
  const shownDatabase = describeDatabaseUrl(deps.config.databaseUrl);
  let settings: Settings = DEFAULT_SETTINGS;
  if ('problem' in deps.database) {
    findings.push(
      finding(
        'database',
        'fatal',
        `the database ${shownDatabase} cannot be used: ${redactText(deps.database.problem)}`,
        'check DATABASE_URL and that the database server is running (the defaults below are checked instead of the saved settings)',
      ),
    );
  } else {
    findings.push(finding('database', 'ok', `the database ${shownDatabase} is reachable and migrated`));
    settings = await getSettings(deps.database.db);
  }

  const store = storeConfig(deps.config);
  if ('level' in store) findings.push(store);
  else findings.push(...(await checkStore(store, settings, timeouts)));

  if ('db' in deps.database) findings.push(await checkAccountImport(deps.database.db, settings));
  return buildReport(deps.config.wooUrl ? redactText(deps.config.wooUrl) : null, findings, deps.clock.now());
}
