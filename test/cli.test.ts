import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.ts';
import { listAudit } from '../src/db/audit-log.ts';
import { WOO_SAGE_ARGS } from './helpers/cli-entry.ts';
import { captureIo } from './helpers/cli.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describe('woo-sage CLI', () => {
  it('when run as a process with --help, then it lists the commands', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [...WOO_SAGE_ARGS, '--help']);
    expect(stdout).toContain('Usage: woo-sage');
    for (const command of ['migrate', 'settings', 'serve', 'users']) expect(stdout).toContain(command);
  });

  it('when DATABASE_URL is bad, then it exits 2 with one line naming the variable', async () => {
    const io = captureIo({ DATABASE_URL: 'oracle://scott:tiger@db/x' });
    const code = await runCli(['node', 'woo-sage', 'settings', 'get'], io);
    expect(code).toBe(2);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^DATABASE_URL: /);
    expect(io.stderr[0]).not.toContain('tiger');
  });

  it('when a command is unknown, then it exits 2', async () => {
    const io = captureIo({});
    expect(await runCli(['node', 'woo-sage', 'frobnicate'], io)).toBe(2);
  });
});

describeEachDialect('woo-sage settings', (ctx) => {
  it('when a setting is set from the CLI, then get shows it and the change is audited', async () => {
    const env = { DATABASE_URL: ctx().url };
    const set = captureIo(env);
    expect(await runCli(['node', 'woo-sage', 'settings', 'set', 'searchSageByEmail', 'false', '--actor', 'cli:test'], set)).toBe(0);
    expect(set.stdout.join('\n')).toContain('searchSageByEmail: true → false');
    const get = captureIo(env);
    expect(await runCli(['node', 'woo-sage', 'settings', 'get'], get)).toBe(0);
    expect(JSON.parse(get.stdout.join('\n')).searchSageByEmail).toBe(false);
    const audit = await listAudit(ctx().db, { action: 'settings.set' });
    expect(audit[0]).toMatchObject({ actor: 'cli:test', subject: 'settings.searchSageByEmail', before: true, after: false });
  });

  it('when the default account code is set to a code the Sage mirror lacks, then it is saved with a warning on stderr', async () => {
    const env = { DATABASE_URL: ctx().url };
    const unknown = captureIo(env);
    expect(await runCli(['node', 'woo-sage', 'settings', 'set', 'defaultAccountCode', 'cash01'], unknown)).toBe(0);
    expect(unknown.stdout.join('\n')).toContain('defaultAccountCode: "" → "CASH01"');
    expect(unknown.stderr).toEqual([expect.stringMatching(/^warning: defaultAccountCode CASH01 is not in the Sage account mirror; /)]);
    await ctx()
      .db('sage_accounts')
      .insert({
        code: 'ACME01',
        status: 'active',
        origin: 'import',
        created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z',
      });
    const known = captureIo(env);
    expect(await runCli(['node', 'woo-sage', 'settings', 'set', 'defaultAccountCode', 'ACME01'], known)).toBe(0);
    expect(known.stderr).toEqual([]);
  });

  it('when a value is refused, then it exits 2 and says what is allowed', async () => {
    const io = captureIo({ DATABASE_URL: ctx().url });
    expect(await runCli(['node', 'woo-sage', 'settings', 'set', 'settleMinutes', 'soon'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('settleMinutes: "soon" is not allowed; expected whole minutes');
  });
});
