import { createServer, type Server, type ServerResponse } from 'node:http';
import { isIPv6, type AddressInfo } from 'node:net';
import type { Express } from 'express';
import { ensureFirstOwner } from './auth/first-owner.ts';
import { ConfigError, type AppConfig, type StoreConfig } from '../config/env.ts';
import { connectDatabase } from './db/connect.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import { createApp, type AppOptions } from './http/app.ts';
import { profileWriterFor } from './http/store-writer.ts';
import { loggableError } from './http/errors.ts';
import { pageAssets } from './http/page/assets.ts';
import { createScheduler, type Scheduler } from './jobs/scheduler.ts';
import { serviceJobs } from './jobs/service-jobs.ts';
import { newWorkerId } from './db/leases.ts';
import type { Logger } from './log/logger.ts';
import { createWooClient } from './woo/client.ts';
import { storeIdOf } from './woo/store-id.ts';

export interface ServiceOptions {
  logger: Logger;
  clock?: Clock;
  app?: AppOptions;
  /** Overrides config.port (tests pass 0 for a free port). */
  port?: number;
  /** Overrides config.host (HOST). */
  host?: string;
  /** How long in-flight requests may take to finish once shutdown starts. */
  shutdownGraceMs?: number;
  /** The store to sync on settings.pollSchedule; without it only the admin API runs. */
  store?: StoreConfig;
  /** Where the very first sync starts (later runs continue from the cursor). */
  since?: Date;
  /** The store's identity in the inbox; default its URL (the demo's sandbox changes port every run). */
  storeId?: string;
  /** Sync once as soon as the service is up (default true), rather than waiting for the first tick. */
  syncOnStart?: boolean;
  /** How often the schedule in settings is re-read, so a change needs no restart (default 30 s). */
  reconcileEveryMs?: number;
}

export interface RunningService {
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes the pool. */
  stop(reason: string): Promise<void>;
}

function listen(app: Express, port: number, host: string | undefined): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(app);
    server.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new ConfigError([`PORT: ${port} is already in use; choose another port with PORT`]));
      else reject(err);
    });
  });
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * With TRUST_PROXY as a hop count, the client address (the login limits count per address) and
 * https come from X-Forwarded-* headers whoever sent them: a client reaching the port past the
 * proxy could claim any address. Binding to loopback (the proxy on this host) closes that door;
 * naming the proxies' addresses instead trusts only them.
 */
function warnIfProxyCanBeBypassed(config: AppConfig, host: string | undefined, logger: Logger): void {
  if (typeof config.trustProxy !== 'number' || (host !== undefined && LOOPBACK_HOSTS.has(host))) return;
  logger.warn(
    { host: host ?? 'every interface', trustProxy: config.trustProxy },
    'TRUST_PROXY trusts forwarded headers from any client and this server is reachable past the proxy: set HOST=127.0.0.1 (proxy on this host) or name the proxy addresses in TRUST_PROXY',
  );
}

/**
 * Once shutdown starts, every answer still to be sent says `Connection: close`, so keep-alive
 * clients let go as soon as their request is done instead of holding close() open.
 */
function closeAfterShutdown(server: Server): () => void {
  const pending = new Set<ServerResponse>();
  let closing = false;
  server.on('request', (_req, res: ServerResponse) => {
    if (closing) res.setHeader('Connection', 'close');
    pending.add(res);
    res.on('close', () => pending.delete(res));
  });
  return () => {
    closing = true;
    for (const res of pending) if (!res.headersSent) res.setHeader('Connection', 'close');
  };
}

function closeServer(server: Server, graceMs: number, beginShutdown: () => void): Promise<void> {
  beginShutdown();
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    // Keep-alive connections with no request in flight would otherwise hold close() open.
    server.closeIdleConnections();
  });
}

/**
 * The composition root of `woo-sage serve`: config → database → migrate → first owner → HTTP.
 * With a store, the scheduler (src/jobs/service-jobs.ts: sync and deliver on settings.pollSchedule,
 * re-read every reconcile, so a schedule change needs no restart) starts once the HTTP server is
 * up and stops first on shutdown (its stop() waits for the run in hand), so a run in progress
 * finishes before the pool closes.
 */
export async function startService(config: AppConfig, options: ServiceOptions): Promise<RunningService> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const host = options.host ?? config.host;
  const { db, applied } = await connectDatabase(config.databaseUrl);
  let server: Server;
  let beginShutdown: () => void;
  let scheduler: Scheduler | undefined;
  try {
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
    await ensureFirstOwner(db, config.adminPassword, logger, { clock, scrypt: options.app?.auth?.scrypt });
    if (options.store) {
      const owner = newWorkerId();
      const client = createWooClient(options.store, { logger });
      scheduler = createScheduler({
        logger,
        jobs: serviceJobs({
          db,
          client,
          clock,
          logger,
          storeId: options.storeId ?? storeIdOf(options.store.url),
          outboxDir: config.outboxDir,
          outboxModes: config.outboxModes,
          since: options.since,
          owner,
          leaseTtlMs: config.syncLeaseSeconds * 1000,
          notifySecrets: { smtpPassword: config.smtpPassword, notifyWebhookUrl: config.notifyWebhookUrl },
        }),
      });
    } else {
      logger.warn('no store configured (WOO_URL, WOO_CONSUMER_KEY, WOO_CONSUMER_SECRET): the admin API runs, nothing is synced');
    }
    const running = scheduler;
    const triggers = running
      ? {
          requestSync(reason: string) {
            logger.debug({ reason }, 'sync requested');
            void running.runNow('sync');
          },
        }
      : undefined;
    // The store the service syncs is the one its page links customers in (the demo's sandbox too).
    const profileWriter = options.store ? profileWriterFor(options.store, logger) : undefined;
    const app = createApp({ db, config, logger, clock, triggers, profileWriter }, options.app);
    server = await listen(app, options.port ?? config.port, host);
    beginShutdown = closeAfterShutdown(server);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host && host !== '0.0.0.0' && host !== '::' ? (isIPv6(host) ? `[${host}]` : host) : 'localhost'}:${port}`;
  logger.info({ url, port, host: host ?? 'every interface' }, `admin page and API listening on ${url}`);
  warnIfProxyCanBeBypassed(config, host, logger);
  // Build the page now rather than on the first visit, so a broken bundle shows in the log at start.
  pageAssets().catch((err: unknown) =>
    logger.error({ error: loggableError(err) }, 'the admin page could not be built; the API still works'),
  );
  let reconcileTimer: NodeJS.Timeout | undefined;
  if (scheduler) {
    const active = scheduler;
    await active.reconcile();
    reconcileTimer = setInterval(() => void active.reconcile(), options.reconcileEveryMs ?? 30_000);
    reconcileTimer.unref();
    if (options.syncOnStart !== false) void active.runNow('sync');
    logger.info({ schedule: active.expressions() }, 'scheduler started');
  }

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    stop(reason) {
      stopping ??= (async () => {
        logger.info({ reason }, 'shutting down: no new requests, finishing the ones in flight');
        clearInterval(reconcileTimer);
        // The scheduler first: its stop() waits for the run in hand, which still needs the pool.
        await scheduler?.stop();
        await closeServer(server, options.shutdownGraceMs ?? 10_000, beginShutdown);
        await db.destroy();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}

/** Resolves once SIGTERM or SIGINT has stopped the service. */
export function stopOnSignal(service: RunningService, signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): Promise<void> {
  return new Promise((resolve, reject) => {
    const onSignal = (signal: NodeJS.Signals) => {
      for (const s of signals) process.off(s, onSignal);
      service.stop(signal).then(resolve, reject);
    };
    for (const s of signals) process.on(s, onSignal);
  });
}
