/**
 * `npm run mutation`: every group of test/mutation/groups.ts through Stryker, one after another,
 * each against its own tests and with its own incremental results (reports/mutation/<group>.json),
 * then one table of what each module's mutants did. MUTATION.md holds the measured scores with
 * the equivalent mutants classified by hand; this prints Stryker's raw counts.
 *
 *   npm run mutation                        # every group (a first run is a few hours here; later runs re-test only what changed)
 *   npm run mutation -- --group queue,roles # some groups
 *   npm run mutation -- --list              # the groups, their modules and tests
 *   npm run mutation -- --fresh             # forget earlier results
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MUTATION_GROUPS, type MutationGroup } from './groups.ts';

const REPORTS = 'reports/mutation';

interface ReportFile {
  files: Record<string, { mutants: { status: string }[] }>;
}

function parseOptions() {
  try {
    return parseArgs({
      options: {
        group: { type: 'string' },
        list: { type: 'boolean', default: false },
        fresh: { type: 'boolean', default: false },
        concurrency: { type: 'string', default: '2' },
      },
    }).values;
  } catch (err) {
    process.stderr.write(
      `${(err as Error).message}\nusage: npm run mutation -- [--group a,b] [--list] [--fresh] [--concurrency N]; one module: npx stryker run --mutate FILE\n`,
    );
    process.exit(2);
  }
}
const values = parseOptions();
if (!/^[1-9]\d*$/.test(values.concurrency!)) {
  process.stderr.write(`--concurrency: expected a whole number ≥ 1 (got ${JSON.stringify(values.concurrency)})\n`);
  process.exit(2);
}

const names = values.group?.split(',').map((g) => g.trim()) ?? MUTATION_GROUPS.map((g) => g.name);
const unknown = names.filter((n) => !MUTATION_GROUPS.some((g) => g.name === n));
if (unknown.length > 0) {
  process.stderr.write(`unknown group ${unknown.join(', ')}; the groups: ${MUTATION_GROUPS.map((g) => g.name).join(', ')}\n`);
  process.exit(2);
}
const groups = MUTATION_GROUPS.filter((g) => names.includes(g.name));

if (values.list) {
  for (const g of groups) {
    process.stdout.write(
      `${g.name} (a first run ≈ ${g.minutes} min here)\n  modules: ${g.mutate.join(' ')}\n  tests: ${g.tests ?? 'every suite but the slow proofs'}${g.staticMutants ? ', static mutants too' : ''}\n`,
    );
  }
  process.exit(0);
}

const incrementalFile = (g: MutationGroup) => path.join(REPORTS, `${g.name}.json`);

function runGroup(g: MutationGroup): boolean {
  if (values.fresh) fs.rmSync(incrementalFile(g), { force: true });
  const args = [
    'stryker',
    'run',
    '--mutate',
    g.mutate.join(','),
    '--concurrency',
    values.concurrency!,
    '--incremental',
    '--incrementalFile',
    incrementalFile(g),
    ...(g.args ?? []),
  ];
  const env = {
    ...process.env,
    ...g.env,
    ...(g.tests ? { MUTATION_TESTS: g.tests } : {}),
    ...(g.staticMutants ? { MUTATION_STATIC: 'run' } : {}),
  };
  process.stderr.write(`\n== ${g.name}: npx ${args.join(' ')}\n`);
  const started = Date.now();
  const run = spawnSync('npx', args, { stdio: 'inherit', env });
  process.stderr.write(
    `== ${g.name}: ${run.status === 0 ? 'done' : `Stryker exited ${run.status}`} in ${((Date.now() - started) / 60_000).toFixed(1)} min\n`,
  );
  return run.status === 0;
}

const failed = groups.filter((g) => !runGroup(g)).map((g) => g.name);

// One row per module from the groups' results.
const rows: string[] = ['module | mutants | killed | timeout | survived | no coverage | ignored | killed + timeout of the rest'];
for (const g of groups) {
  if (!fs.existsSync(incrementalFile(g))) continue;
  const report = JSON.parse(fs.readFileSync(incrementalFile(g), 'utf8')) as ReportFile;
  for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    const count = (status: string) => mutants.filter((m) => m.status === status).length;
    const [killed, timeout, survived, noCoverage, ignored] = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'Ignored'].map(
      count,
    ) as number[];
    const scored = mutants.length - ignored!;
    const score = scored === 0 ? '—' : `${Math.floor((100 * (killed! + timeout!)) / scored)} %`;
    rows.push(`${file} | ${mutants.length} | ${killed} | ${timeout} | ${survived} | ${noCoverage} | ${ignored} | ${score}`);
  }
}
process.stdout.write(`\n${rows.join('\n')}\n\nEquivalent mutants are classified by hand in MUTATION.md (its scores leave them out).\n`);
if (failed.length > 0) {
  process.stderr.write(`Stryker failed for ${failed.join(', ')}\n`);
  process.exit(1);
}
