/**
 * The modules measured by mutation, grouped by the tests that measure them (MUTATION.md's "Tests
 * run" column). Against the whole suite a module that every request reaches (authentication) or
 * that every database suite touches (queueing, delivery) would take hours per module; against the
 * tests that exercise it, minutes. Each group keeps its own incremental results, so a run after a
 * change re-tests only the mutants whose code or tests changed.
 */
export interface MutationGroup {
  name: string;
  mutate: string[];
  /** MUTATION_TESTS (vitest.mutation.config.ts): `unit`, or suites and globs; absent: every suite but the slow proofs. */
  tests?: string;
  /** Module-level constants tested too (MUTATION_STATIC=run): cheap when the tests are few. */
  staticMutants?: boolean;
  /** Environment for the tests, e.g. fewer property-test runs. */
  env?: Record<string, string>;
  /** Stryker's options for this group. */
  args?: string[];
  /** Minutes a first run took here (MUTATION.md), for the listing. */
  minutes: number;
}

const pricingTests = 'src/domain/pricing/*.test.ts,test/domain/pricing/*.test.ts';
const allocationTests = 'src/domain/allocation/*.test.ts,test/domain/allocation/*.test.ts';
// A timed-out mutant (an endless loop in a search) costs the whole timeout: a short one here.
const pureDomain = { env: { PROPERTY_RUNS: '40' }, args: ['--timeoutMS', '10000'] };

export const MUTATION_GROUPS: readonly MutationGroup[] = [
  {
    name: 'core',
    mutate: [
      'src/domain/money.ts',
      'src/domain/text.ts',
      'src/domain/settle-rule.ts',
      'src/domain/retry-policy.ts',
      'src/domain/csv.ts',
      'src/domain/clock.ts',
      'src/domain/errors.ts',
      'src/domain/order-state.ts',
      'src/domain/own-key.ts',
      'src/woo/content-hash.ts',
      'src/woo/webhook-signature.ts',
    ],
    tests: 'unit',
    minutes: 8,
  },
  {
    name: 'readers',
    mutate: ['src/sage/results-file.ts', 'src/sage/customer-export-reader.ts', 'src/auth/password.ts', 'src/auth/login-rate-limiter.ts'],
    tests: 'unit',
    staticMutants: true,
    minutes: 40,
  },
  {
    name: 'pricing',
    mutate: ['src/domain/pricing/*.ts', '!src/domain/pricing/*.test.ts'],
    tests: pricingTests,
    ...pureDomain,
    minutes: 25,
  },
  {
    name: 'allocation',
    mutate: ['src/domain/allocation/*.ts', '!src/domain/allocation/*.test.ts'],
    tests: allocationTests,
    ...pureDomain,
    minutes: 23,
  },
  { name: 'books', mutate: ['src/domain/books/*.ts', '!src/domain/books/*.test.ts'], tests: 'src/domain/books/*.test.ts', minutes: 6 },
  {
    name: 'database',
    mutate: [
      'src/db/claim-jobs.ts',
      'src/db/leases.ts',
      'src/pipeline/settle.ts',
      'src/auth/sessions.ts',
      'src/auth/tokens.ts',
      'src/auth/secrets.ts',
      'src/http/route-spec.ts',
    ],
    minutes: 37,
  },
  { name: 'login', mutate: ['src/auth/login.ts'], tests: 'test/verify-login.test.ts', minutes: 10 },
  {
    name: 'pull',
    mutate: ['src/pipeline/deliver-by-pull.ts'],
    tests: 'test/deliver-by-pull.test.ts,test/http-batches.test.ts',
    minutes: 15,
  },
  {
    name: 'folder',
    mutate: ['src/pipeline/deliver-to-folder.ts'],
    tests: 'test/deliver-to-folder.test.ts,test/deliver-to-folder-races.test.ts,test/delivery-retries.test.ts',
    minutes: 14,
  },
  {
    name: 'queue',
    mutate: ['src/pipeline/queue-documents.ts'],
    tests:
      'test/queue-documents.test.ts,test/queue-documents-again.test.ts,test/cancel-order-documents.test.ts,test/process-orders.test.ts,test/reprocess-orders.test.ts',
    minutes: 4,
  },
  {
    name: 'reprocess',
    mutate: ['src/pipeline/reprocess-orders.ts'],
    tests:
      'test/reprocess-orders.test.ts,test/reprocess-orders-record.test.ts,test/reprocess-orders-reset.test.ts,test/orders-actions-cli.test.ts,test/http-order-actions.test.ts,test/refunds-export.test.ts',
    minutes: 13,
  },
  { name: 'authenticate', mutate: ['src/http/authenticate.ts'], tests: 'test/authenticate.test.ts', staticMutants: true, minutes: 3 },
  {
    name: 'roles',
    mutate: ['src/domain/roles.ts'],
    tests: 'test/http-route-guard.test.ts,test/cli-users.test.ts,test/http-users.test.ts,test/http-batches.test.ts',
    staticMutants: true,
    minutes: 1,
  },
];
