import { describe, expect, it } from 'vitest';
import { OTHER_GROUPS, RULE_GROUPS } from '../src/http/page/client/screens/settings-fields.ts';
import { SETTING_KEYS, settingsSchema } from '../src/settings/schema.ts';

/** The settings page is the owner's way to change settings: none may be left to the CLI. */
describe('the settings page form', () => {
  const fields = [...RULE_GROUPS, ...OTHER_GROUPS].flatMap((group) => group.fields);

  it('when the page is built, then every setting has exactly one field', () => {
    expect(fields.map((f) => f.key).sort()).toEqual([...SETTING_KEYS].sort());
  });

  it("when a setting is a choice, then the page offers exactly the schema's values", () => {
    for (const field of fields.filter((f) => f.kind === 'select')) {
      const schema = settingsSchema.shape[field.key as keyof typeof settingsSchema.shape].removeDefault();
      expect((field.options ?? []).map(([value]) => value).sort(), field.key).toEqual(
        [...(schema as { options: string[] }).options].sort(),
      );
    }
  });
});
