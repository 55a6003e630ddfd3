import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT_OK, EXIT_USAGE } from '../src/cli/exit-codes.ts';

export const BENCH_RUNS = ['sqlite', 'mysql', 'baseline'] as const;
export type BenchRun = (typeof BENCH_RUNS)[number];

export interface BenchOptions {
  orders: number;
  json: boolean;
  runs: BenchRun[];
  /** --runs was given: a run it names that cannot be made is an error, not skipped. */
  runsGiven: boolean;
  /** Orders of the baseline's backlog (default the backlog, at most 10,000). */
  baselineOrders: number;
  profileDir?: string;
  /** How the measured process runs: compiled JavaScript (as installed) or TypeScript through tsx. */
  loader: BenchLoader;
  /** Node's options for the measured process, e.g. `--heap-growing-percent=0` for V8's own heap growth. */
  nodeArgs: string[];
}

export const BENCH_LOADERS = ['compiled', 'tsx'] as const;
export type BenchLoader = (typeof BENCH_LOADERS)[number];

/** What `parseBenchOptions` decided: run with these options, or exit with this status. */
export type BenchArgs = { options: BenchOptions } | { exitCode: number };

function wholeNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 100) {
      throw new InvalidArgumentError(`${name}: expected a whole number ≥ 100 (got ${JSON.stringify(value)})`);
    }
    return n;
  };
}

function runList(value: string): BenchRun[] {
  const runs = value.split(',').map((r) => r.trim());
  const unknown = runs.filter((r) => !(BENCH_RUNS as readonly string[]).includes(r));
  if (unknown.length > 0 || runs.length === 0) {
    throw new InvalidArgumentError(`unknown run ${JSON.stringify(unknown.join(','))}; expected a list of ${BENCH_RUNS.join(', ')}`);
  }
  return [...new Set(runs)] as BenchRun[];
}

/**
 * The bench's arguments (`npm run bench -- …`). `--help` prints the usage and asks for exit 0; an
 * unknown option or a bad value prints why and asks for exit 2, before anything is started (a
 * mistyped flag must not cost a 100,000-order run).
 */
export function parseBenchOptions(argv: readonly string[], io: { out(s: string): void; err(s: string): void }): BenchArgs {
  const program = new Command('npm run bench --')
    .description(
      'One full sync (poll → allocate → render → queue → deliver) of a seeded sandbox backlog on SQLite, on MariaDB/MySQL ' +
        '(when MYSQL_TEST_URL or DATABASE_URL names one) and for the naive baseline; every run verified. See BENCHMARKS.md.',
    )
    .addOption(new Option('--orders <n>', 'orders in the backlog').argParser(wholeNumber('--orders')).default(100_000))
    .option('--json', 'print one JSON object on stdout instead of the table (use `npm run -s bench`)')
    .addOption(
      new Option('--runs <list>', `which runs, comma-separated: ${BENCH_RUNS.join(',')}`)
        .argParser(runList)
        .default([...BENCH_RUNS], BENCH_RUNS.join(',')),
    )
    .addOption(
      new Option('--baseline-orders <n>', "the baseline's backlog (default: the backlog, at most 10,000)").argParser(
        wholeNumber('--baseline-orders'),
      ),
    )
    .option('--profile <dir>', 'write a V8 CPU profile of each run into this folder')
    .addOption(
      new Option('--loader <how>', 'run the measured process as compiled JavaScript (as installed) or through tsx')
        .choices(BENCH_LOADERS)
        .default('compiled'),
    )
    .option('--node-args <flags>', "Node's options for the measured process, space-separated (e.g. --node-args=--heap-growing-percent=0)")
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return { exitCode: err.exitCode === 0 ? EXIT_OK : EXIT_USAGE };
    throw err;
  }
  const o = program.opts<{
    orders: number;
    json?: boolean;
    runs: BenchRun[];
    baselineOrders?: number;
    profile?: string;
    loader: BenchLoader;
    nodeArgs?: string;
  }>();
  return {
    options: {
      orders: o.orders,
      json: o.json === true,
      runs: o.runs,
      runsGiven: program.getOptionValueSource('runs') === 'cli',
      baselineOrders: o.baselineOrders ?? Math.min(o.orders, 10_000),
      ...(o.profile ? { profileDir: o.profile } : {}),
      loader: o.loader,
      nodeArgs: o.nodeArgs?.split(/\s+/).filter(Boolean) ?? [],
    },
  };
}
