import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'config/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    // A failure when .ci/run requires MariaDB and it is missing or does not answer (WOO_SAGE_MYSQL=required).
    globalSetup: ['test/setup/mariadb-gate.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Slow suites (crash loops, 100k benchmarks) opt in with WOO_SAGE_HEAVY=1.
    // The default summary, then which tests could not run here and how to make them run.
    reporters: ['default', './test/reporters/skip-reasons.ts'],
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
  },
});
