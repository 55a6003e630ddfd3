// Mutation testing of the core (npm run mutation; MUTATION.md has the results and how to read them).
// Not part of `npm test`. `npm run mutation` runs the modules in groups, each against its own
// tests (test/mutation/groups.ts); `npx stryker run --mutate FILE` runs one module against the
// whole suite. The database suites run on SQLite here: the MariaDB copies repeat the same
// assertions, so they kill no extra mutants and would double the time.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  coverageAnalysis: 'perTest',
  plugins: ['@stryker-mutator/vitest-runner'],
  concurrency: 2,
  timeoutMS: 60_000,
  dryRunTimeoutMinutes: 30,
  // A mutant reached only while a suite is set up (beforeAll) is "static": Stryker would re-run every
  // related suite for it (minutes each here). Such mutants are reported as Ignored and counted in
  // MUTATION.md; a mutant that tests also reach runs against those tests. MUTATION_STATIC=run tests
  // them too: cheap with MUTATION_TESTS=unit or a short list of suites.
  ignoreStatic: process.env.MUTATION_STATIC !== 'run',
  timeoutFactor: 3,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['test-artifacts', 'outbox', 'data', 'reports', 'dist'],
  mutate: [
    'src/domain/**/*.ts',
    '!src/domain/**/*.test.ts',
    'src/woo/content-hash.ts',
    'src/woo/webhook-signature.ts',
    'src/db/claim-jobs.ts',
    'src/db/leases.ts',
    'src/pipeline/deliver-to-folder.ts',
    'src/pipeline/deliver-by-pull.ts',
    'src/pipeline/settle.ts',
    'src/pipeline/reprocess-orders.ts',
    'src/pipeline/queue-documents.ts',
    'src/sage/results-file.ts',
    'src/sage/customer-export-reader.ts',
    'src/auth/password.ts',
    'src/auth/login.ts',
    'src/auth/sessions.ts',
    'src/auth/login-rate-limiter.ts',
    'src/auth/tokens.ts',
    'src/auth/secrets.ts',
    'src/http/authenticate.ts',
    'src/http/route-spec.ts',
  ],
  thresholds: { high: 90, low: 85, break: null },
};
