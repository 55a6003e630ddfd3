import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { systemClock, type Clock } from '../domain/clock.ts';
import { FaultControl } from './faults.ts';
import type { GeneratorConfig } from './generator-config.ts';
import { createSandboxApp, type KeyPermissions, type RequestCounts, type RequestHook } from './server.ts';
import { defaultSite, type SandboxSite } from './site-config.ts';
import { renderSageCustomerExport, sandboxSageAccounts, type SageAccountSeed } from './sage-accounts.ts';
import { SandboxStore } from './store.ts';

export interface SandboxOptions {
  /** Same seed, same shop: orders, customers and their content are a function of it. */
  seed?: number;
  orders?: number;
  customers?: number;
  /** When order index 0 was last modified; the others follow every `secondsPerOrder`. */
  startAt?: Date | string;
  /** Below 1 puts several orders in one second (ties). Default 45. */
  secondsPerOrder?: number;
  firstOrderId?: number;
  pricesIncludeTax?: boolean | 'mixed';
  /** Most lines in one order (default 4; up to 10). */
  maxLines?: number;
  profileMetaKey?: string;
  consumerKey?: string;
  consumerSecret?: string;
  keyPermissions?: KeyPermissions;
  /** The shop's clock: modification times of edits and the Date header. */
  clock?: Clock;
  tieOrder?: 'random' | 'stable';
  /** How WordPress and WooCommerce are set up (permalinks, Site Address, tax rates, gateways…); defaults are a well set-up UK shop. */
  site?: Partial<SandboxSite>;
  /** Default 127.0.0.1 with a free port. */
  host?: string;
  port?: number;
}

export interface Sandbox {
  /** The store address to give the client, e.g. "http://127.0.0.1:41234". */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  store: SandboxStore;
  /** The shop's set-up; change it while running to misconfigure the shop. */
  site: SandboxSite;
  faults: FaultControl;
  /** Requests received so far (every one, including refused and faulted ones). */
  readonly requests: RequestCounts;
  resetRequests(): void;
  /** Runs before each request is handled (e.g. to edit orders while a client pages). */
  onRequest(hook: RequestHook): () => void;
  /** The Sage accounts that go with this shop (see sage-accounts.ts). */
  sageAccounts(): SageAccountSeed[];
  /** Those accounts as a Sage 50 Customer XML export. */
  sageAccountsXml(): string;
  close(): Promise<void>;
}

/** The default timeline ends an hour before now, so recent orders are still settling. */
function defaultStart(orders: number, secondsPerOrder: number, clock: Clock): number {
  const end = Math.floor(clock.now().getTime() / 1000) - 3600;
  return end - Math.ceil(orders * secondsPerOrder);
}

/** Starts a WooCommerce-REST-compatible shop in this process on a free loopback port. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = options.clock ?? systemClock;
  const orders = options.orders ?? 250;
  const secondsPerOrder = options.secondsPerOrder ?? 45;
  const startSec =
    options.startAt !== undefined ? Math.floor(new Date(options.startAt).getTime() / 1000) : defaultStart(orders, secondsPerOrder, clock);
  let origin = 'http://127.0.0.1';
  const config: GeneratorConfig = {
    seed: options.seed ?? 1,
    orders,
    customers: options.customers ?? Math.max(10, Math.round(orders / 3)),
    startSec,
    secondsPerOrder,
    firstOrderId: options.firstOrderId ?? 1001,
    pricesIncludeTax: options.pricesIncludeTax ?? 'mixed',
    profileMetaKey: options.profileMetaKey ?? 'sage_account_code',
    ...(options.maxLines !== undefined ? { maxLines: options.maxLines } : {}),
    get origin() {
      return origin;
    },
  };
  const store = new SandboxStore(config, clock);
  const faults = new FaultControl();
  const hooks = new Set<RequestHook>();
  const counts: RequestCounts = { total: 0, orders: 0, customers: 0, writes: 0, refused: 0 };
  const keys = {
    consumerKey: options.consumerKey ?? `ck_${randomBytes(20).toString('hex')}`,
    consumerSecret: options.consumerSecret ?? `cs_${randomBytes(20).toString('hex')}`,
    permissions: options.keyPermissions ?? ('read_write' as KeyPermissions),
  };
  const site: SandboxSite = { ...defaultSite(config.pricesIncludeTax), ...options.site };
  const home = () => (site.siteHost ? origin.replace(/\/\/[^:/]+/, `//${site.siteHost}`) : origin);
  const app = createSandboxApp({
    store,
    faults,
    origin: () => origin,
    home,
    site: () => site,
    keys,
    hooks,
    counts,
    tieOrder: options.tieOrder ?? 'random',
  });
  const host = options.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, () => resolve(s));
    s.once('error', reject);
  });
  origin = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    consumerKey: keys.consumerKey,
    consumerSecret: keys.consumerSecret,
    store,
    site,
    faults,
    requests: counts,
    resetRequests() {
      Object.assign(counts, { total: 0, orders: 0, customers: 0, writes: 0, refused: 0 });
    },
    onRequest(hook) {
      hooks.add(hook);
      return () => hooks.delete(hook);
    },
    sageAccounts: () => sandboxSageAccounts(config),
    sageAccountsXml: () => renderSageCustomerExport(sandboxSageAccounts(config)),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
