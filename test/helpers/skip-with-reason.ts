import { describe, it } from 'vitest';

/**
 * Declares the suite, or, when `missing` says what this machine lacks and how to get it, one
 * skipped test carrying that reason, which test/reporters/skip-reasons.ts prints after the run.
 */
export function describeWhenAvailable(missing: string | undefined, name: string, body: () => void): void {
  if (missing === undefined) {
    describe(name, body);
    return;
  }
  describe(name, () => {
    it('cannot run here', (ctx) => ctx.skip(missing));
  });
}

/** Why the MariaDB-only suites cannot run, or undefined when they can. */
export function mysqlMissing(): string | undefined {
  return process.env.MYSQL_TEST_URL
    ? undefined
    : 'needs MariaDB/MySQL: set MYSQL_TEST_URL=mysql://root@127.0.0.1:3306/test (a server where root may create databases)';
}
