import { z } from 'zod';
import { ANY_ROLE, OWNER_ONLY } from '../../domain/roles.ts';
import { SETTING_HELP, SETTING_KEYS, settingsSchema } from '../../settings/schema.ts';
import { getSettings, updateSettings } from '../../settings/store.ts';
import { principalOf } from '../principal.ts';
import { defineRoute, type RouteModule } from '../route-spec.ts';

/**
 * PUT's body: any subset of the keys, each checked on its own here; the merged document is then
 * validated as a whole (cross-key rules such as defaultAccountCode vs accountCodePattern) and
 * audited by updateSettings.
 */
const settingsPatchSchema = z
  .object(
    Object.fromEntries(SETTING_KEYS.map((key) => [key, settingsSchema.shape[key].removeDefault().optional().describe(SETTING_HELP[key])])),
  )
  .strict();

const changeSchema = z.object({ key: z.enum(SETTING_KEYS as [string, ...string[]]), before: z.unknown(), after: z.unknown() });

export const settingsRoutes: RouteModule = ({ db, clock }) => [
  defineRoute({
    method: 'get',
    path: '/api/settings',
    summary: 'Read the settings',
    description: 'The whole document with defaults filled in, and what each key accepts (for forms).',
    tags: ['settings'],
    roles: ANY_ROLE,
    response: z.object({ settings: settingsSchema, help: z.record(z.string(), z.string()) }),
    async handler() {
      return { settings: await getSettings(db), help: SETTING_HELP };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/settings',
    summary: 'Change settings',
    description:
      'A partial document: only the keys given change. Validated as a whole; each changed key is audited with who made the change.',
    tags: ['settings'],
    roles: OWNER_ONLY,
    body: settingsPatchSchema,
    response: z.object({ settings: settingsSchema, changes: z.array(changeSchema) }),
    async handler({ res, body }) {
      const { user } = principalOf(res);
      const patch = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
      return updateSettings(db, patch, user.username, clock);
    },
  }),
];
