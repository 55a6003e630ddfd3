import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsSchema } from './schema.ts';

describe('the shop time zone setting', () => {
  it('when nothing is set, then the shop is in Europe/London (the UK shops Sage 50 UK serves)', () => {
    expect(DEFAULT_SETTINGS.shopTimezone).toBe('Europe/London');
  });

  it.each(['Europe/Dublin', 'America/Argentina/Buenos_Aires', 'UTC', 'Etc/GMT+1'])('when it is %s, then it is accepted', (zone) => {
    expect(settingsSchema.parse({ shopTimezone: ` ${zone} ` }).shopTimezone).toBe(zone);
  });

  it.each(['Europe/Londn', '+01:00', 'BST', 'EST', '', 'Europe/London; DROP', '../../etc/passwd', 'x'.repeat(65)])(
    'when it is %j, then it is refused with what is expected',
    (zone) => {
      const parsed = settingsSchema.safeParse({ shopTimezone: zone });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['shopTimezone']);
    },
  );
});
