import { Argument, Option, type Command } from 'commander';
import os from 'node:os';
import { ROLES } from '../../domain/roles.ts';
import { issueApiToken, revokeToken } from '../../auth/tokens.ts';
import { addUser, requireUser, setUserDisabled, setUserPassword, setUserRole } from '../../auth/users.ts';
import { listApiTokens } from '../../db/api-tokens.ts';
import { listUsers, type User } from '../../db/users.ts';
import { withContext, type CliIo } from '../context.ts';
import { CliExit, EXIT_USAGE } from '../exit-codes.ts';

interface PasswordOptions {
  passwordStdin?: boolean;
  passwordEnv?: string;
}

function cliActor(): string {
  return `cli:${os.userInfo().username}`;
}

/** A new password from stdin, a named environment variable, or a hidden prompt (typed twice). */
async function readNewPassword(io: CliIo, options: PasswordOptions): Promise<string> {
  if (options.passwordStdin) {
    if (!io.input) throw new CliExit(EXIT_USAGE, 'no standard input to read the password from');
    // One trailing newline is what `echo` or a here-string adds; it is not part of the password.
    return (await io.input.readAll()).replace(/\r?\n$/, '');
  }
  if (options.passwordEnv) {
    const value = io.env[options.passwordEnv];
    if (value === undefined || value === '') throw new CliExit(EXIT_USAGE, `${options.passwordEnv} is not set`);
    return value;
  }
  if (!io.input?.isTTY)
    throw new CliExit(EXIT_USAGE, 'no password given: use --password-stdin or --password-env VAR, or run it in a terminal');
  const first = await io.input.promptHidden('New password: ');
  const second = await io.input.promptHidden('Repeat it: ');
  if (first !== second) throw new CliExit(EXIT_USAGE, 'the two passwords differ; nothing was changed');
  return first;
}

function withPasswordOptions(command: Command): Command {
  return command
    .option('--password-stdin', 'read the password from standard input')
    .option('--password-env <VAR>', 'read the password from this environment variable');
}

function describeUser(user: User): string {
  const status = user.disabledAt ? `disabled ${user.disabledAt}` : 'active';
  return `${user.username.padEnd(24)} ${user.role.padEnd(8)} ${status.padEnd(34)} last sign-in ${user.lastLoginAt ?? 'never'}`;
}

export function registerUsers(program: Command, io: CliIo): void {
  const users = program
    .command('users')
    .description('manage who may use the admin page and API (owner: everything; support: view, reprocess, link)');

  withPasswordOptions(
    users
      .command('add <username>')
      .description('add a user; the password is read from a hidden prompt, --password-stdin or --password-env')
      .addOption(new Option('--role <role>', 'owner, support or importer').choices(ROLES).makeOptionMandatory()),
  ).action(async (username: string, options: PasswordOptions & { role: string }) => {
    const password = await readNewPassword(io, options);
    await withContext(io, async ({ db, clock }) => {
      const user = await addUser(db, { username, password, role: options.role }, cliActor(), { clock });
      io.out(`added ${user.role} "${user.username}"`);
    });
  });

  users
    .command('list')
    .description('list users (never their passwords)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await withContext(io, async ({ db }) => {
        const all = await listUsers(db);
        if (options.json) return io.out(JSON.stringify(all, null, 2));
        if (all.length === 0) return io.out('no users yet: add an owner with `woo-sage users add NAME --role owner`');
        for (const user of all) io.out(describeUser(user));
      });
    });

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    users
      .command(`${name} <username>`)
      .description(disabled ? 'disable a user: their sessions end and their tokens stop working' : 'enable a disabled user again')
      .action(async (username: string) => {
        await withContext(io, async ({ db, clock }) => {
          const user = await setUserDisabled(db, username, disabled, cliActor(), clock);
          io.out(`${user.username} is ${user.disabledAt ? 'disabled' : 'active'}`);
        });
      });
  }

  withPasswordOptions(users.command('password <username>').description('set a new password; the user’s sessions end')).action(
    async (username: string, options: PasswordOptions) => {
      const password = await readNewPassword(io, options);
      await withContext(io, async ({ db, clock }) => {
        const user = await setUserPassword(db, username, password, cliActor(), { clock });
        io.out(`password of "${user.username}" changed`);
      });
    },
  );

  users
    .command('role <username>')
    .description('change a user’s role')
    .addArgument(new Argument('<role>', 'owner, support or importer').choices(ROLES))
    .action(async (username: string, role: string) => {
      await withContext(io, async ({ db, clock }) => {
        const user = await setUserRole(db, username, role, cliActor(), clock);
        io.out(`${user.username} is ${user.role}`);
      });
    });

  users
    .command('token <username>')
    .description('issue an API bearer token acting as this user; printed once on stdout, stored hashed')
    .option('--name <name>', 'what will use it, e.g. "monitoring"', 'api client')
    .action(async (username: string, options: { name: string }) => {
      await withContext(io, async ({ db, clock }) => {
        const { token, secret } = await issueApiToken(db, username, options.name, cliActor(), clock);
        io.err(
          `token ${token.id} "${token.name}" for ${token.username}: keep it now, it cannot be shown again (revoke: woo-sage users revoke-token ${token.id})`,
        );
        io.out(secret);
      });
    });

  users
    .command('tokens [username]')
    .description('list API tokens (names and prefixes, never the tokens)')
    .option('--json', 'print JSON')
    .action(async (username: string | undefined, options: { json?: boolean }) => {
      await withContext(io, async ({ db }) => {
        const userId = username ? (await requireUser(db, username)).id : undefined;
        const tokens = await listApiTokens(db, { userId });
        if (options.json) return io.out(JSON.stringify(tokens, null, 2));
        if (tokens.length === 0) return io.out('no API tokens');
        for (const t of tokens) {
          const status = t.revokedAt ? `revoked ${t.revokedAt}` : `last used ${t.lastUsedAt ?? 'never'}`;
          io.out(`${String(t.id).padStart(4)}  ${t.prefix}…  ${t.username.padEnd(20)} ${t.name.padEnd(24)} ${status}`);
        }
      });
    });

  users
    .command('revoke-token <id>')
    .description('revoke an API token by its id (see `users tokens`)')
    .action(async (raw: string) => {
      const id = Number(raw);
      if (!Number.isInteger(id) || id < 1)
        throw new CliExit(EXIT_USAGE, `token id: expected a positive whole number (got ${JSON.stringify(raw.slice(0, 20))})`);
      await withContext(io, async ({ db, clock }) => {
        const token = await revokeToken(db, id, cliActor(), clock);
        io.out(`token ${token.id} "${token.name}" of ${token.username} revoked ${token.revokedAt}`);
      });
    });
}
