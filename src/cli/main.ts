import { Command, CommanderError } from 'commander';
import { ConfigError } from '../../config/env.ts';
import { AppError } from '../domain/errors.ts';
import { VERSION } from '../version.ts';
import { registerCommands } from './commands/index.ts';
import { processIo, type CliIo } from './context.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes.ts';

/** Thrown by a command to end with a given exit status after it has printed what it needed to. */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message = '',
  ) {
    super(message);
  }
}

export function buildProgram(io: CliIo): Command {
  const program = new Command('woo-sage')
    .description('WooCommerce → Sage 50 connector: sync orders, allocate Sage accounts, queue Sage 50 XML.')
    .version(VERSION, '-V, --version', 'print the version of woo-sage')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  // Subcommands created with program.command() inherit exitOverride and the output streams.
  registerCommands(program, io);
  return program;
}

/** Runs the CLI and returns the exit status; never throws. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return EXIT_OK;
  } catch (err) {
    return exitCodeFor(err, io);
  }
}

function exitCodeFor(err: unknown, io: CliIo): number {
  if (err instanceof CliExit) {
    if (err.message) io.err(err.message);
    return err.exitCode;
  }
  if (err instanceof CommanderError) {
    // Commander has already printed its message; help and version are successes.
    return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (err instanceof ConfigError) {
    for (const line of err.problems) io.err(line);
    return EXIT_USAGE;
  }
  if (err instanceof AppError) {
    io.err(`error ${err.code}: ${err.message}`);
    return err.status < 500 ? EXIT_USAGE : EXIT_FAILED;
  }
  io.err(`error: ${err instanceof Error ? err.message : String(err)}`);
  return EXIT_FAILED;
}
