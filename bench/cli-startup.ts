/**
 * How long `woo-sage --help` and `woo-sage serve` take to start, and their peak memory, against a
 * bare `node -e 0` measured in the same rounds (interleaved, so the machine's load falls on all alike).
 *   npx tsx bench/cli-startup.ts [--root DIR] [--rounds 5] [--json]
 * --root runs another checkout's bin (e.g. an older commit unpacked with `git archive`). Linux only:
 * the memory is /usr/bin/time's maximum resident set size, and serve's is /proc/PID/status VmHWM.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startSandbox } from '../src/sandbox/sandbox.ts';
import { freePort } from '../test/helpers/free-port.ts';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const root = path.resolve(option('--root') ?? path.join(import.meta.dirname, '..'));
const rounds = Number(option('--rounds') ?? 5);
const bin = path.join(root, 'bin', 'woo-sage.js');
const run = promisify(execFile);

interface Sample {
  seconds: number;
  /** User + system CPU time: what the start costs, whatever else the machine is doing. */
  cpuSeconds: number;
  peakMb: number;
}

/** Wall time and maximum RSS of one process run to its end, as /usr/bin/time reports them. */
async function timed(argv: string[]): Promise<Sample> {
  const { stderr } = await run('/usr/bin/time', ['-f', 'TIME %e %M %U %S', process.execPath, ...argv], { cwd: root });
  const [, seconds, kb, user, system] = /TIME (\S+) (\d+) (\S+) (\S+)/.exec(stderr) ?? [];
  return { seconds: Number(seconds), cpuSeconds: Number(user) + Number(system), peakMb: Number(kb) / 1024 };
}

/** From spawning `serve` to its first 200 on /healthz, and the process's peak RSS by then. */
async function serveStart(env: Record<string, string>): Promise<Sample> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'serve', '--no-sync-on-start'], {
    cwd: root,
    env: { ...env, PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (res) => res.status === 200,
        () => false,
      );
      if (ok) break;
      if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const seconds = (performance.now() - started) / 1000;
    const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
    // Fields 14 and 15 of /proc/PID/stat (after the parenthesised name): user and system time in ticks of 1/100 s.
    const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const cpuSeconds = (Number(stat[11]) + Number(stat[12])) / 100;
    return { seconds, cpuSeconds, peakMb: Number(hwm) / 1024 };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

function summary(samples: Sample[]) {
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const median = (values: number[]) => sorted(values)[Math.floor(values.length / 2)]!;
  const times = samples.map((s) => s.seconds);
  const rss = samples.map((s) => s.peakMb);
  const cpu = samples.map((s) => s.cpuSeconds);
  return {
    bestSeconds: sorted(times)[0]!,
    medianSeconds: median(times),
    medianCpuSeconds: median(cpu),
    medianPeakMb: Math.round(median(rss)),
  };
}

const loadBefore = os.loadavg()[0]!;
const node: Sample[] = [];
const help: Sample[] = [];
for (let i = 0; i < rounds; i++) {
  node.push(await timed(['-e', '0']));
  help.push(await timed([bin, '--help']));
}

const sandbox = await startSandbox({ orders: 1 });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-startup-'));
const env = {
  DATABASE_URL: `sqlite:${path.join(dataDir, 'bench.sqlite')}`,
  WOO_URL: sandbox.url,
  WOO_CONSUMER_KEY: sandbox.consumerKey,
  WOO_CONSUMER_SECRET: sandbox.consumerSecret,
};
const serve: Sample[] = [];
try {
  await run(process.execPath, [bin, 'migrate'], { cwd: root, env: { ...env, PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent' } });
  for (let i = 0; i < rounds; i++) serve.push(await serveStart(env));
} finally {
  await sandbox.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const result = {
  root,
  rounds,
  cpus: os.cpus().length,
  loadAverage: { before: loadBefore, after: os.loadavg()[0]! },
  nodeE0: summary(node),
  help: summary(help),
  helpOverNode: {
    best: summary(help).bestSeconds / summary(node).bestSeconds,
    median: summary(help).medianSeconds / summary(node).medianSeconds,
  },
  serveToHealthz: summary(serve),
};
if (args.includes('--json')) console.log(JSON.stringify(result));
else console.log(JSON.stringify(result, null, 2));
