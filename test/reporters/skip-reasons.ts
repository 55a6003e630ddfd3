import type { Reporter, TestCase } from 'vitest/node';

/**
 * After the run, says which tests were skipped for want of something and how to get it: vitest's
 * own summary only counts them, and "12 skipped" tells nobody that Chromium is missing. The reasons
 * are the notes tests pass to `ctx.skip(note)` (see test/helpers/skip-with-reason.ts).
 */
export default class SkipReasonsReporter implements Reporter {
  private readonly reasons = new Map<string, Set<string>>();

  onTestCaseResult(testCase: TestCase): void {
    const result = testCase.result();
    if (result.state !== 'skipped' || !result.note) return;
    const files = this.reasons.get(result.note) ?? new Set<string>();
    files.add(testCase.module.moduleId.replace(`${process.cwd()}/`, ''));
    this.reasons.set(result.note, files);
  }

  onTestRunEnd(): void {
    const lines: string[] = [];
    for (const [reason, files] of this.reasons) lines.push(`  ${[...files].sort().join(', ')}: ${reason}`);
    if (!process.env.MYSQL_TEST_URL) {
      lines.push(
        '  database tests ran on SQLite only: set MYSQL_TEST_URL=mysql://root@127.0.0.1:3306/test to run them on MariaDB/MySQL too',
      );
    }
    if (lines.length > 0) process.stderr.write(`\nNot tested in this run, and why:\n${lines.join('\n')}\n`);
    this.reasons.clear();
  }
}
