import { ConfigError, requireStoreConfig, type AppConfig, type StoreConfig } from '../../config/env.ts';
import { AppError } from '../domain/errors.ts';
import type { Logger } from '../log/logger.ts';
import { createWooClient } from '../woo/client.ts';
import type { CustomerProfileWriter } from '../woo/profile-writer.ts';

/** Which store variables are missing, or [] when the store is configured. */
function missingStoreSettings(config: AppConfig): string[] {
  try {
    requireStoreConfig(config);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => p.split(':')[0]!);
    throw err;
  }
}

/**
 * The store client as the admin API's profile writer, or null when the store is not configured.
 * A person is waiting at the page, so it retries less and for less long than the unattended sync.
 */
export function storeProfileWriter(config: AppConfig, logger: Logger): CustomerProfileWriter | null {
  if (missingStoreSettings(config).length > 0) return null;
  return profileWriterFor(requireStoreConfig(config), logger);
}

/** The profile writer of a given store (the demo's sandbox is not in the environment). */
export function profileWriterFor(store: StoreConfig, logger: Logger): CustomerProfileWriter {
  return createWooClient(store, {
    logger: logger.child({ component: 'store' }),
    timeoutMs: 20_000,
    retry: { attempts: 3, maxDelayMs: 4_000, maxRetryAfterMs: 10_000 },
  });
}

/** The writer, or a 503 that says what to configure. */
export function requireProfileWriter(writer: CustomerProfileWriter | null, config: AppConfig): CustomerProfileWriter {
  if (writer) return writer;
  const missing = missingStoreSettings(config);
  throw new AppError(
    'STORE_NOT_CONFIGURED',
    `the WooCommerce store is not configured, so account codes cannot be written to customer profiles${
      missing.length ? `: set ${missing.join(', ')} and restart woo-sage serve` : ''
    }`,
    503,
    { missing },
  );
}
