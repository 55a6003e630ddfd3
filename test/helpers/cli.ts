import type { CliIo } from '../../src/cli/context.ts';
import { runCli } from '../../src/cli/main.ts';

export type CapturedIo = CliIo & { stdout: string[]; stderr: string[] };

export function captureIo(env: NodeJS.ProcessEnv): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { env, stdout, stderr, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t) };
}

/** Runs `woo-sage ARGS…` in-process with the given environment. */
export async function runWooSage(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo(env);
  const code = await runCli(['node', 'woo-sage', ...args], io);
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}
