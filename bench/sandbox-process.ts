/**
 * The bench's WooCommerce store, in its own process so that generating and serving orders never
 * competes with the measured pipeline for an event loop. Started by bench/pipeline.ts with fork();
 * talks over the IPC channel: `ready` once listening, then answers `requests`, `reset`, `stop`.
 */
import fs from 'node:fs';
import { startSandbox } from '../src/sandbox/sandbox.ts';
import { benchShop } from './shop.ts';

export interface SandboxReady {
  type: 'ready';
  url: string;
  consumerKey: string;
  consumerSecret: string;
  /** Epoch seconds of the oldest order's modification. */
  startSec: number;
  orders: number;
}

export type SandboxRequest = { type: 'requests' } | { type: 'reset' } | { type: 'stop' };

const [orders, accountsFile] = [Number(process.argv[2]), process.argv[3]!];
const sandbox = await startSandbox(benchShop(orders));
fs.writeFileSync(accountsFile, sandbox.sageAccountsXml());
const send = (message: unknown) => process.send!(message);
let cpuAtReset = process.cpuUsage();
send({
  type: 'ready',
  url: sandbox.url,
  consumerKey: sandbox.consumerKey,
  consumerSecret: sandbox.consumerSecret,
  startSec: sandbox.store.config.startSec,
  orders: sandbox.store.orderCount(),
} satisfies SandboxReady);

process.on('message', (message: SandboxRequest) => {
  if (message.type === 'requests') {
    const cpu = process.cpuUsage(cpuAtReset);
    send({ type: 'requests', counts: { ...sandbox.requests }, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  } else if (message.type === 'reset') {
    sandbox.resetRequests();
    cpuAtReset = process.cpuUsage();
    send({ type: 'reset' });
  } else if (message.type === 'stop') void sandbox.close().finally(() => process.exit(0));
});
// The bench died: do not outlive it.
process.on('disconnect', () => void sandbox.close().finally(() => process.exit(0)));
