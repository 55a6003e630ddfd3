import { silentLogger } from '../../src/log/logger.ts';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';
import { createWooClient, type WooClientOptions } from '../../src/woo/client.ts';

/** A client for a sandbox whose backoff is recorded instead of waited for. */
export function sandboxClient(sandbox: Sandbox, options: WooClientOptions & { consumerSecret?: string } = {}) {
  const sleeps: number[] = [];
  const client = createWooClient(
    { url: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: options.consumerSecret ?? sandbox.consumerSecret },
    {
      logger: silentLogger,
      timeoutMs: 5_000,
      sleep: async (ms) => void sleeps.push(ms),
      ...options,
      retry: { attempts: 4, ...options.retry },
    },
  );
  return { client, sleeps };
}
