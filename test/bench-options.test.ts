import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseBenchOptions, type BenchArgs } from '../bench/options.ts';

function parse(...argv: string[]): { result: BenchArgs; out: string; err: string } {
  let out = '';
  let err = '';
  const result = parseBenchOptions(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { result, out, err };
}

describe('bench arguments', () => {
  it('when none are given, then it benchmarks 100,000 orders, every run, the baseline on 10,000', () => {
    expect(parse().result).toEqual({
      options: {
        orders: 100_000,
        json: false,
        runs: ['sqlite', 'mysql', 'baseline'],
        runsGiven: false,
        baselineOrders: 10_000,
        loader: 'compiled',
        nodeArgs: [],
      },
    });
  });

  it('when options are given, then each is taken, and a small backlog is also the baseline’s', () => {
    expect(
      parse(
        '--orders',
        '2000',
        '--json',
        '--runs',
        'mysql,sqlite',
        '--profile',
        '/tmp/p',
        '--loader',
        'tsx',
        '--node-args=--heap-growing-percent=0  --trace-gc',
      ).result,
    ).toEqual({
      options: {
        orders: 2000,
        json: true,
        runs: ['mysql', 'sqlite'],
        runsGiven: true,
        baselineOrders: 2000,
        profileDir: '/tmp/p',
        loader: 'tsx',
        nodeArgs: ['--heap-growing-percent=0', '--trace-gc'],
      },
    });
    expect(parse('--orders=50000', '--baseline-orders', '20000').result).toMatchObject({
      options: { orders: 50_000, baselineOrders: 20_000 },
    });
  });

  it('when --help is asked, then it prints the usage with every option and asks for exit 0', () => {
    const { result, out } = parse('--help');
    expect(result).toEqual({ exitCode: 0 });
    for (const flag of ['--orders', '--json', '--runs', '--baseline-orders', '--profile', '--loader', '--node-args'])
      expect(out).toContain(flag);
  });

  it.each([
    [['--bogus'], /unknown option '--bogus'/],
    [['--orders', '12x'], /--orders: expected a whole number ≥ 100 \(got "12x"\)/],
    [['--orders', '99'], /expected a whole number ≥ 100/],
    [['--orders', '1e5'], /expected a whole number/],
    [['--baseline-orders', '-5'], /--baseline-orders/],
    [['--runs', 'sqlite,postgres'], /unknown run "postgres"/],
    [['10000'], /too many arguments/],
    [['--loader', 'ts-node'], /--loader.*ts-node.*Allowed choices are compiled, tsx/],
  ])('when the arguments are %j, then it says why and asks for exit 2', (argv, message) => {
    const { result, err } = parse(...argv);
    expect(result).toEqual({ exitCode: 2 });
    expect(err).toMatch(message);
  });

  it('when the bench itself is started with a mistyped flag, then it exits 2 at once without starting a run', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/pipeline.ts', '--order', '1000'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown option '--order'/);
    expect(run.stderr).not.toContain('sandbox store');
    expect(run.stdout).toBe('');
  });
});
