import type { Knex } from 'knex';
import { z } from 'zod';
import { recordAudit } from '../db/audit-log.ts';
import { systemClock, toUtcIso, type Clock } from '../domain/clock.ts';
import { ValidationError } from '../domain/errors.ts';
import { DEFAULT_SETTINGS, SETTING_HELP, SETTING_KEYS, settingsSchema, type SettingKey, type Settings } from './schema.ts';

const ROW = 'main';

export interface SettingsChange {
  key: SettingKey;
  before: unknown;
  after: unknown;
}

function describeIssues(error: z.ZodError, document: Record<string, unknown>): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : 'settings';
    const key = issue.path[0] as SettingKey | undefined;
    if (issue.code === 'custom' || issue.path.length !== 1 || !key || !SETTING_HELP[key]) return `${where}: ${issue.message}`;
    return `${where}: ${JSON.stringify(document[key])} is not allowed; expected ${SETTING_HELP[key]}`;
  });
}

function validate(document: Record<string, unknown>): Settings {
  const result = settingsSchema.safeParse(document);
  if (!result.success) {
    const problems = describeIssues(result.error, document);
    throw new ValidationError(problems.join('; '), { problems });
  }
  return result.data;
}

async function readStored(db: Knex | Knex.Transaction): Promise<{ document: Record<string, unknown>; version: number } | undefined> {
  const row = await db('settings').where({ name: ROW }).first();
  if (!row) return undefined;
  return { document: JSON.parse(row.document), version: Number(row.version) };
}

/**
 * The stored document validated again on every read: a value an older version accepted (an
 * accountCodePattern that can backtrack for minutes) is refused here, before anything runs it.
 */
function validateStored(document: Record<string, unknown>): Settings {
  try {
    return validate(document);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const problems = (err.details.problems as string[] | undefined) ?? [err.message];
    throw new ValidationError(
      `the saved settings are not valid any more: ${problems.join('; ')}; set a new value (woo-sage settings set KEY VALUE, or the Settings screen)`,
      { problems },
    );
  }
}

/** The current settings: what is stored, with defaults for every key not stored. */
export async function getSettings(db: Knex | Knex.Transaction): Promise<Settings> {
  const stored = await readStored(db);
  return validateStored(stored?.document ?? {});
}

function refuseUnknownKeys(patch: Record<string, unknown>): void {
  const unknown = Object.keys(patch).filter((key) => !SETTING_KEYS.includes(key as SettingKey));
  if (unknown.length > 0) {
    throw new ValidationError(`unknown setting ${unknown.map((k) => `"${k}"`).join(', ')}; known settings: ${SETTING_KEYS.join(', ')}`, {
      unknown,
    });
  }
}

/**
 * The settings as they would be after `patch`, validated as a whole exactly as updateSettings
 * would, without storing anything: for previews of unsaved settings.
 */
export async function draftSettings(db: Knex | Knex.Transaction, patch: Record<string, unknown>): Promise<Settings> {
  refuseUnknownKeys(patch);
  return validate({ ...(await getSettings(db)), ...patch });
}

/**
 * Applies a partial document: validates the result as a whole, stores it, and writes one audit
 * entry per key that changed (who, when, old → new). Returns the changes made.
 */
export async function updateSettings(
  db: Knex,
  patch: Record<string, unknown>,
  actor: string,
  clock: Clock = systemClock,
): Promise<{ settings: Settings; changes: SettingsChange[] }> {
  refuseUnknownKeys(patch);
  return db.transaction(async (trx) => {
    const stored = await readStored(trx);
    // A saved document that is no longer valid can still be mended by the patch that fixes it.
    const parsedBefore = settingsSchema.safeParse(stored?.document ?? {});
    const before = (parsedBefore.success ? parsedBefore.data : { ...DEFAULT_SETTINGS, ...stored?.document }) as Settings;
    const next = validate({ ...before, ...patch });
    const changes = SETTING_KEYS.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(next[key])).map((key) => ({
      key,
      before: before[key],
      after: next[key],
    }));
    if (changes.length === 0) return { settings: before, changes };
    const at = clock.now();
    const row = { document: JSON.stringify(next), updated_at: toUtcIso(at), updated_by: actor };
    if (stored) {
      await trx('settings')
        .where({ name: ROW })
        .update({ ...row, version: stored.version + 1 });
    } else {
      await trx('settings').insert({ name: ROW, version: 1, ...row });
    }
    for (const change of changes) {
      await recordAudit(trx, {
        at,
        actor,
        action: 'settings.set',
        subject: `settings.${change.key}`,
        before: change.before,
        after: change.after,
      });
    }
    return { settings: next, changes };
  });
}

/**
 * Reads a value typed on a command line: JSON where it parses ("true", "30", '["processing"]'),
 * otherwise the text itself, so `settings set defaultAccountCode CASH` needs no quotes.
 */
export function parseSettingValue(key: string, raw: string): unknown {
  if (!SETTING_KEYS.includes(key as SettingKey)) {
    throw new ValidationError(`unknown setting "${key}"; known settings: ${SETTING_KEYS.join(', ')}`, { key });
  }
  const schemaOfKey = settingsSchema.shape[key as SettingKey] as z.ZodType;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return raw;
  }
  // "0123" is valid as a string account code but would become the number 123 as JSON.
  if (!schemaOfKey.safeParse(parsed).success && schemaOfKey.safeParse(raw).success) return raw;
  return parsed;
}
