import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli/commands/index.ts';
import { buildProgram } from '../src/cli/main.ts';
import { captureIo, runWooSage } from './helpers/cli.ts';

/** The program with every command module loaded, as the CLI was before it loaded them lazily. */
async function fullProgram(): Promise<Command> {
  return buildProgram(captureIo({}));
}

/** What the fully loaded program prints for `args`, captured as runWooSage captures it. */
async function fullOutput(args: string[]): Promise<string> {
  const io = captureIo({});
  const program = await buildProgram(io);
  await expect(program.parseAsync(['node', 'woo-sage', ...args])).rejects.toMatchObject({ exitCode: 0 });
  return io.stdout.join('\n');
}

describe('commands loaded only when they run', () => {
  it('when --help is asked, then the list made from the command table is the one the loaded modules make', async () => {
    const full = (await fullProgram()).helpInformation();
    const lazy = await runWooSage(['--help'], {});
    expect(lazy).toEqual({ code: 0, stdout: full, stderr: '' });
    expect((await buildProgram(captureIo({}), ['node', 'woo-sage'])).helpInformation()).toBe(full);
  });

  it('when a command is named, then it is loaded and its help is the full one, directly or through `help NAME`', async () => {
    const full = await fullProgram();
    expect(COMMANDS.map((entry) => entry.name)).toEqual(full.commands.map((command) => command.name()));
    for (const entry of COMMANDS) {
      const expected = await fullOutput([entry.name, '--help']);
      expect(expected).toContain(`Usage: woo-sage ${entry.name}`);
      expect((await runWooSage([entry.name, '--help'], {})).stdout, entry.name).toBe(expected);
      expect((await runWooSage(['help', entry.name], {})).stdout, entry.name).toBe(expected);
    }
  });

  it('when a subcommand runs, then its options are parsed by the loaded module', async () => {
    const result = await runWooSage(['settings', 'get', 'settleMinutes'], { DATABASE_URL: 'sqlite::memory:' });
    expect(result).toEqual({ code: 0, stdout: '60', stderr: '' });
  });

  it('when the command is unknown, then commander says so and suggests the nearest one (exit 2)', async () => {
    const result = await runWooSage(['setings'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'setings'");
    expect(result.stderr).toContain('(Did you mean settings?)');
  });
});
