import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chromiumMissing } from './e2e/helpers/browser.ts';

const ROOT = path.join(import.meta.dirname, '..');

describe('tests that cannot run here', () => {
  it('when a suite lacks what it needs, then the run ends saying which file was not tested, why, and how to fix it', async () => {
    const { stderr } = await promisify(execFile)(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'test/fixtures/skip-reason/vitest.config.ts'],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', MYSQL_TEST_URL: 'mysql://set-so-only-the-fixture-reason-shows' } },
    );
    expect(stderr).toContain(
      '\nNot tested in this run, and why:\n  test/fixtures/skip-reason/needs-a-tool.check.ts: needs the frobnicator: apt-get install -y frobnicator\n',
    );
  });

  it('when Chromium is missing, then the e2e suites say where it was looked for and how to install it', () => {
    expect(chromiumMissing('/nowhere/chromium')).toBe(
      'needs Chromium at /nowhere/chromium, which is not installed: sudo apt-get install -y chromium (Debian/Ubuntu; playwright-core downloads no browser), then npx vitest run test/e2e',
    );
    expect(chromiumMissing(process.execPath)).toBeUndefined();
  });
});
