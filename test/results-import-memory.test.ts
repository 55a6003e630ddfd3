import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { WOO_SAGE_ARGS } from './helpers/cli-entry.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const ROOT = path.join(import.meta.dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-results-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `woo-sage results import FILE --json` in its own process and reads its peak memory. */
function importInChild(
  file: string,
  databaseUrl: string,
): Promise<{ code: number | null; stdout: string; stderr: string; peakMb: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--require', path.join(ROOT, 'test/helpers/report-peak-rss.cjs'), ...WOO_SAGE_ARGS, 'results', 'import', file, '--json'],
      { env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const kb = Number(/PEAK_RSS_KB=(\d+)/.exec(stderr)?.[1]);
      resolve({ code, stdout, stderr, peakMb: kb / 1024 });
    });
  });
}

function writeCsv(name: string, body: (write: (text: string) => void) => void): string {
  const file = path.join(dir, name);
  const fd = fs.openSync(file, 'w');
  body((text) => fs.writeSync(fd, text));
  fs.closeSync(fd);
  return file;
}

describeEachDialect('results import of a huge CSV', (ctx) => {
  it('when a 50 MB CSV has a quote that never closes, then memory stays bounded and the line is named', async () => {
    const small = writeCsv('small.csv', (write) => write('Id,Status,Message\n1001,imported,\n'));
    const huge = writeCsv('unclosed-quote.csv', (write) => {
      write('Id,Status,Message\n1001,imported,"the quote opens here and never closes ');
      const block = 'x'.repeat(1024 * 1024);
      for (let i = 0; i < 50; i++) write(block);
    });
    const baseline = await importInChild(small, ctx().url);
    expect(baseline.code, baseline.stderr).toBe(0);
    const run = await importInChild(huge, ctx().url);
    expect(run.code, run.stderr.slice(0, 500)).toBe(0);
    expect(run.stderr).toContain('skipped: line 2: a quoted field is never closed');
    // The whole file in one string is 50 MB, and its parse used to peak at 2.1 GB.
    expect(run.peakMb - baseline.peakMb).toBeLessThan(40);
  }, 120_000);
});
