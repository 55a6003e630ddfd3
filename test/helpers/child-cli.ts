import { spawn } from 'node:child_process';
import { WOO_SAGE_ARGS } from './cli-entry.ts';

export interface ChildRun {
  /** Exit status, or null when killed. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  killed: boolean;
}

export interface ChildCli {
  /** Resolves when the process has ended. */
  done: Promise<ChildRun>;
  /** SIGKILL now (no-op once it has ended). */
  kill(): void;
  /** SIGTERM: asks it to stop the way a service manager does. */
  stop(): void;
  readonly ended: boolean;
  /** What it has written to stdout and stderr so far. */
  output(): string;
}

/**
 * Starts `woo-sage ARGS…` as a real child process from its sources (tsx; see cli-entry.ts), with only
 * the given environment plus PATH, so nothing from the test process leaks in.
 */
export function startWooSage(args: string[], env: Record<string, string>): ChildCli {
  const child = spawn(process.execPath, [...WOO_SAGE_ARGS, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let killed = false;
  let ended = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<ChildRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      ended = true;
      resolve({ code, signal, stdout, stderr, killed });
    });
  });
  return {
    done,
    get ended() {
      return ended;
    },
    output: () => `${stdout}\n${stderr}`,
    stop() {
      if (!ended) child.kill('SIGTERM');
    },
    kill() {
      if (ended || killed) return;
      killed = true;
      child.kill('SIGKILL');
    },
  };
}

/** Runs `woo-sage ARGS…` to the end as a child process. */
export function runWooSageChild(args: string[], env: Record<string, string>): Promise<ChildRun> {
  return startWooSage(args, env).done;
}
