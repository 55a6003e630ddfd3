import { afterEach, describe, expect, it, vi } from 'vitest';
import mariadbGate from './setup/mariadb-gate.ts';

const saved = { url: process.env.MYSQL_TEST_URL, required: process.env.WOO_SAGE_MYSQL };
afterEach(() => {
  vi.restoreAllMocks();
  for (const [key, value] of [
    ['MYSQL_TEST_URL', saved.url],
    ['WOO_SAGE_MYSQL', saved.required],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

function stderrLines(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

describe('the MariaDB gate of the test run', () => {
  it('when MYSQL_TEST_URL is not set and MariaDB is not required, then the gate lets the run go on (the skip-reasons reporter names it after the run)', async () => {
    delete process.env.MYSQL_TEST_URL;
    delete process.env.WOO_SAGE_MYSQL;
    const lines = stderrLines();
    await expect(mariadbGate()).resolves.toBeUndefined();
    expect(lines).toEqual([]);
  });

  it('when MYSQL_TEST_URL names a server that does not answer, then one line says the MariaDB tests cannot run and how to run them', async () => {
    process.env.MYSQL_TEST_URL = 'mysql://root@127.0.0.1:1/test';
    delete process.env.WOO_SAGE_MYSQL;
    const lines = stderrLines();
    await mariadbGate();
    expect(lines.join('')).toMatch(
      /MariaDB copies of the database tests cannot run \(MariaDB at 127\.0\.0\.1:1 does not answer \(ECONNREFUSED\)\); run them with MYSQL_TEST_URL=/,
    );
  });

  it('when MariaDB is required and MYSQL_TEST_URL is not set, then the run fails instead of skipping', async () => {
    delete process.env.MYSQL_TEST_URL;
    process.env.WOO_SAGE_MYSQL = 'required';
    await expect(mariadbGate()).rejects.toThrow(/WOO_SAGE_MYSQL=required but the MariaDB tests cannot run: MYSQL_TEST_URL is not set/);
  });

  it('when MariaDB is required and the server does not answer, then the run fails naming the address', async () => {
    process.env.MYSQL_TEST_URL = 'mysql://root@127.0.0.1:1/test';
    process.env.WOO_SAGE_MYSQL = 'required';
    await expect(mariadbGate()).rejects.toThrow(/MariaDB at 127\.0\.0\.1:1 does not answer \(ECONNREFUSED\)/);
  });

  it.runIf(saved.url)('when the server answers, then the gate says nothing and lets the run go on', async () => {
    process.env.WOO_SAGE_MYSQL = 'required';
    const lines = stderrLines();
    await expect(mariadbGate()).resolves.toBeUndefined();
    expect(lines).toEqual([]);
  });
});
