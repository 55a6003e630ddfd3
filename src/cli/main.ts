import { Command, CommanderError, Help } from 'commander';
import { ConfigError } from '../../config/config-error.ts';
import { AppError } from '../domain/errors.ts';
import { VERSION } from '../version.ts';
import { COMMANDS, registerAllCommands } from './commands/index.ts';
import { processIo, type CliIo } from './io.ts';
import { CliExit, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes.ts';

/**
 * The CLI program. With `argv`, only the command it names is loaded and registered; the others are
 * listed for the help by their entry in COMMANDS. Without, every command is loaded.
 */
export async function buildProgram(io: CliIo, argv?: readonly string[]): Promise<Command> {
  const listed = new Map<Command, string>();
  const program = new Command('woo-sage')
    .description('WooCommerce → Sage 50 connector: sync orders, allocate Sage accounts, queue Sage 50 XML.')
    .version(VERSION, '-V, --version', 'print the version of woo-sage')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .configureHelp({ subcommandTerm: (cmd) => listed.get(cmd) ?? new Help().subcommandTerm(cmd) });
  // Subcommands created with program.command() inherit exitOverride and the output streams.
  if (argv === undefined) {
    await registerAllCommands(program, io);
    return program;
  }
  const named = commandNamedIn(argv.slice(2));
  for (const entry of COMMANDS) {
    if (entry.name === named) (await entry.load())(program, io);
    else listed.set(program.command(entry.name).description(entry.description), entry.term);
  }
  return program;
}

/** The command `args` runs, or whose help it asks for (`help NAME`); the program itself has no operands. */
function commandNamedIn(args: readonly string[]): string | undefined {
  const operands = args.filter((arg) => !arg.startsWith('-'));
  return operands[0] === 'help' ? operands[1] : operands[0];
}

/** Runs the CLI and returns the exit status; never throws. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    const program = await buildProgram(io, argv);
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
