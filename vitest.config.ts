import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    // One line when the MariaDB copies of the database suites are not run; a failure when .ci/run requires them.
    globalSetup: ['test/setup/mariadb-gate.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Slow suites (crash loops, 100k benchmarks) opt in with WOO_SAGE_HEAVY=1.
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
  },
});
