import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The suites Stryker runs for each mutant (stryker.config.mjs). Left out: the browser, and the
 * proofs that run the product as child processes and loop over random seeds (crash, fault and
 * multi-instance runs). They take minutes each, and what they assert of the mutated modules is
 * asserted by the in-process suites too. They still run in `npm test`.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        '**/node_modules/**',
        'test/e2e/**',
        'test/sync-crash.test.ts',
        'test/sync-faults.test.ts',
        'test/delivery-sigkill.test.ts',
        'test/migrate-crash.test.ts',
        'test/multi-instance.test.ts',
        'test/secrets-in-output.test.ts',
      ],
    },
  }),
);
