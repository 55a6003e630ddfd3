import type { Command } from 'commander';
import os from 'node:os';
import { findAccount } from '../../db/account-mirror.ts';
import { SETTING_HELP, SETTING_KEYS, type SettingKey } from '../../settings/schema.ts';
import { getSettings, parseSettingValue, updateSettings } from '../../settings/store.ts';
import { withContext, type CliIo } from '../context.ts';

function cliActor(): string {
  return `cli:${os.userInfo().username}`;
}

export function registerSettings(program: Command, io: CliIo): void {
  const settings = program
    .command('settings')
    .description('read or change the settings (validated; every change is audited)')
    .addHelpText('after', `\nSettings:\n${SETTING_KEYS.map((key) => `  ${key}: ${SETTING_HELP[key]}`).join('\n')}`);

  settings
    .command('get [key]')
    .description('print all settings as JSON, or one key')
    .action(async (key: string | undefined) => {
      await withContext(io, async ({ db }) => {
        const current = await getSettings(db);
        if (key === undefined) return io.out(JSON.stringify(current, null, 2));
        if (!SETTING_KEYS.includes(key as SettingKey)) {
          parseSettingValue(key, ''); // throws the "unknown setting" error listing the known keys
        }
        io.out(JSON.stringify(current[key as SettingKey], null, 2));
      });
    });

  settings
    .command('set <key> <value>')
    .description('change one setting; VALUE is JSON (true, 30, ["processing"]) or plain text')
    .option('--actor <name>', 'who is making the change (recorded in the audit log)', cliActor())
    .action(async (key: string, raw: string, options: { actor: string }) => {
      const value = parseSettingValue(key, raw);
      await withContext(io, async ({ db }) => {
        const { changes } = await updateSettings(db, { [key]: value }, options.actor);
        if (changes.length === 0) return io.out(`${key} unchanged`);
        for (const change of changes) io.out(`${change.key}: ${JSON.stringify(change.before)} → ${JSON.stringify(change.after)}`);
        // The page asks before saving such a code; here the change is made, and the doubt said once.
        const code = changes.find((c) => c.key === 'defaultAccountCode')?.after;
        if (typeof code === 'string' && code) {
          const account = await findAccount(db, code);
          if (!account || account.status === 'inactive')
            io.err(
              `warning: defaultAccountCode ${code} is ${account ? 'marked inactive in' : 'not in'} the Sage account mirror; orders given it fail at import unless the account exists in Sage (import a fresh Sage customer export: woo-sage accounts import FILE.xml)`,
            );
        }
      });
    });
}
