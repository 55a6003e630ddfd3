import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The suites Stryker runs for each mutant (stryker.config.mjs). Left out: the browser, and the
 * proofs that run the product as child processes and loop over random seeds (crash, fault and
 * multi-instance runs). They take minutes each, and what they assert of the mutated modules is
 * asserted by the in-process suites too. They still run in `npm test`.
 *
 * MUTATION_TESTS=unit runs only the pure tests (beside the code in src/**, and test/domain/**, which
 * build the domain's inputs from shop payloads): for the pure modules
 * (money, text, the content hash…) whose constants are "static" mutants — evaluated once at import,
 * so Stryker must re-run every related suite for each of them, about two hours against the whole
 * database suite on this machine. A score measured this way is a lower bound: the database
 * suites could only kill more.
 *
 * MUTATION_TESTS=test/a.test.ts,test/b.test.ts runs only those suites: for a module that most of
 * the database suites reach (delivery, queueing, reprocess), whose full run would take hours on
 * this machine. Again a lower bound.
 */
const only = process.env.MUTATION_TESTS;

const config = mergeConfig(
  base,
  defineConfig({
    test: {
      setupFiles: ['test/setup/mutation-fast-check.ts'],
      exclude: [
        '**/node_modules/**',
        'test/e2e/**',
        'test/sync-crash.test.ts',
        'test/sync-faults.test.ts',
        'test/delivery-sigkill.test.ts',
        'test/migrate-crash.test.ts',
        'test/multi-instance.test.ts',
        'test/secrets-in-output.test.ts',
        'test/compiled-build.test.ts',
        'test/migration-names.test.ts',
      ],
    },
  }),
);
// Set after merging: mergeConfig would add to the base's include list, not replace it.
if (only === 'unit') config.test!.include = ['src/**/*.test.ts', 'config/**/*.test.ts', 'test/domain/**/*.test.ts'];
else if (only) config.test!.include = only.split(',');

export default config;
