import { expect, it } from 'vitest';
import { runCli } from '../src/cli/main.ts';
import type { CliInput } from '../src/cli/secret-input.ts';
import { listAudit } from '../src/db/audit-log.ts';
import { verifyLogin } from '../src/auth/login.ts';
import { resolveApiToken } from '../src/auth/tokens.ts';
import { systemClock } from '../src/domain/clock.ts';
import { captureIo } from './helpers/cli.ts';
import { describeEachDialect } from './helpers/test-db.ts';

function piped(text: string): CliInput {
  return { isTTY: false, readAll: async () => text, promptHidden: async () => text };
}

function typed(...answers: string[]): CliInput {
  return { isTTY: true, readAll: async () => '', promptHidden: async () => answers.shift() ?? '' };
}

describeEachDialect('woo-sage users', (ctx) => {
  const run = async (args: string[], input?: CliInput, env: NodeJS.ProcessEnv = {}) => {
    const io = { ...captureIo({ DATABASE_URL: ctx().url, ...env }), input };
    const code = await runCli(['node', 'woo-sage', 'users', ...args], io);
    return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
  };
  const login = (name: string, password: string) => verifyLogin(ctx().db, name, password, { clock: systemClock });

  it('when an owner is added with --password-stdin, then it can sign in and the addition is audited without the password', async () => {
    const res = await run(['add', 'Olivia', '--role', 'owner', '--password-stdin'], piped('olivia has a long password\n'));
    expect(res).toMatchObject({ code: 0, stdout: 'added owner "olivia"' });
    expect(await login('olivia', 'olivia has a long password')).toMatchObject({ username: 'olivia', role: 'owner' });
    const [entry] = await listAudit(ctx().db, { action: 'users.add', subjectPrefix: 'users.olivia' });
    expect(entry).toMatchObject({ actor: expect.stringMatching(/^cli:/), after: { role: 'owner' } });
    expect(JSON.stringify(entry)).not.toContain('long password');
  });

  it('when the password comes from a named variable or a prompt typed twice, then it is used; a mismatch changes nothing', async () => {
    expect(
      (await run(['add', 'sam', '--role', 'support', '--password-env', 'SAM_PW'], undefined, { SAM_PW: 'sam likes long passwords' })).code,
    ).toBe(0);
    expect(await login('sam', 'sam likes long passwords')).toBeDefined();
    expect((await run(['add', 'tess', '--role', 'support'], typed('tess typed this twice', 'tess typed this twice'))).code).toBe(0);
    expect(await login('tess', 'tess typed this twice')).toBeDefined();
    const mismatch = await run(['add', 'uma', '--role', 'support'], typed('first attempt here', 'second attempt here'));
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain('differ');
    expect(await ctx().db('users').where({ username: 'uma' }).first()).toBeUndefined();
  });

  it('when no password source is available, a role is unknown, the password weak or the name taken, then it exits 2 saying why', async () => {
    expect((await run(['add', 'vic', '--role', 'support'])).stderr).toContain('--password-stdin');
    expect((await run(['add', 'vic', '--role', 'boss', '--password-stdin'], piped('a fine long password'))).code).toBe(2);
    const weak = await run(['add', 'vic', '--role', 'support', '--password-stdin'], piped('short'));
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain('at least 12 characters');
    expect(weak.stderr).not.toContain('short\n');
    const taken = await run(['add', 'olivia', '--role', 'support', '--password-stdin'], piped('a fine long password'));
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('already exists');
  });

  it('when users are listed, then names, roles and status show and hashes never do', async () => {
    const res = await run(['list']);
    expect(res.stdout).toMatch(/^olivia\s+owner\s+active/m);
    expect(res.stdout).not.toContain('$scrypt$');
    const json = JSON.parse((await run(['list', '--json'])).stdout);
    expect(json.map((u: { username: string }) => u.username)).toContain('sam');
    expect(JSON.stringify(json)).not.toMatch(/hash/i);
  });

  it('when a token is issued, then stdout is only the token, it works, is listed by prefix, and revoking stops it', async () => {
    const issued = await run(['token', 'sam', '--name', 'monitoring']);
    expect(issued.code).toBe(0);
    const secret = issued.stdout.trim();
    expect(secret).toMatch(/^wsg_[A-Za-z0-9_-]{43}$/);
    expect(issued.stderr).toContain('cannot be shown again');
    expect((await resolveApiToken(ctx().db, secret))?.user.username).toBe('sam');
    const listed = await run(['tokens', 'sam']);
    expect(listed.stdout).toContain('monitoring');
    expect(listed.stdout).toContain(secret.slice(0, 10));
    expect(listed.stdout).not.toContain(secret);
    const id = listed.stdout.trim().split(/\s+/)[0]!;
    expect((await run(['revoke-token', id])).code).toBe(0);
    expect(await resolveApiToken(ctx().db, secret)).toBeUndefined();
    expect((await run(['revoke-token', 'abc'])).code).toBe(2);
  });

  it('when a user is disabled, then they cannot sign in; enabling restores it; the last owner cannot be disabled', async () => {
    expect((await run(['disable', 'sam'])).stdout).toBe('sam is disabled');
    expect(await login('sam', 'sam likes long passwords')).toBeUndefined();
    expect((await run(['enable', 'sam'])).code).toBe(0);
    expect(await login('sam', 'sam likes long passwords')).toBeDefined();
    const last = await run(['disable', 'olivia']);
    expect(last.code).toBe(2);
    expect(last.stderr).toContain('only active owner');
  });

  it('when a password is reset or a role changed, then the new ones apply', async () => {
    expect((await run(['password', 'tess', '--password-stdin'], piped('tess has a new password'))).code).toBe(0);
    expect(await login('tess', 'tess has a new password')).toBeDefined();
    expect(await login('tess', 'tess typed this twice')).toBeUndefined();
    expect((await run(['role', 'tess', 'owner'])).stdout).toBe('tess is owner');
    expect((await run(['role', 'tess', 'boss'])).code).toBe(2);
  });
});
