import { expect, it } from 'vitest';
import { listAudit } from '../src/db/audit-log.ts';
import { fixedClock } from '../src/domain/clock.ts';
import { ValidationError } from '../src/domain/errors.ts';
import { DEFAULT_SETTINGS } from '../src/settings/schema.ts';
import { getSettings, parseSettingValue, updateSettings } from '../src/settings/store.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('settings store', (ctx) => {
  it('when nothing is stored, then every key has its default', async () => {
    expect(await getSettings(ctx().db)).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS.importStatuses).toEqual(['processing', 'completed']);
    expect(DEFAULT_SETTINGS.profileMetaKey).toBe('sage_account_code');
    expect(DEFAULT_SETTINGS.accountCodePattern).toBe('^[A-Z0-9]{1,8}$');
  });

  it('when a setting changes, then it round-trips and the audit log says who, when, old and new', async () => {
    const { db } = ctx();
    const clock = fixedClock('2026-11-23T09:00:00.000Z');
    const { changes } = await updateSettings(db, { settleMinutes: 15, defaultAccountCode: ' cash01 ' }, 'alice', clock);
    expect(changes.map((c) => c.key).sort()).toEqual(['defaultAccountCode', 'settleMinutes']);
    const settings = await getSettings(db);
    expect(settings.settleMinutes).toBe(15);
    expect(settings.defaultAccountCode).toBe('CASH01');
    const audit = await listAudit(db, { action: 'settings.set' });
    const settle = audit.find((row) => row.subject === 'settings.settleMinutes');
    expect(settle).toMatchObject({ actor: 'alice', at: '2026-11-23T09:00:00.000Z', before: 60, after: 15 });
  });

  it('when the same value is set again, then nothing is written to the audit log', async () => {
    const { db } = ctx();
    await updateSettings(db, { createAccountsForLoggedInOnly: true }, 'bob');
    const before = (await listAudit(db)).length;
    const { changes } = await updateSettings(db, { createAccountsForLoggedInOnly: true }, 'bob');
    expect(changes).toEqual([]);
    expect((await listAudit(db)).length).toBe(before);
  });

  it('when a value is invalid, then nothing changes and the error says what is allowed', async () => {
    const { db } = ctx();
    const before = await getSettings(db);
    await expect(updateSettings(db, { onAmbiguousEmail: 'random' }, 'carol')).rejects.toThrow(
      /onAmbiguousEmail: "random" is not allowed; expected "hold" or "first"/,
    );
    await expect(updateSettings(db, { pollSchedule: 'every minute' }, 'carol')).rejects.toThrow(/cron expression/);
    await expect(updateSettings(db, { accountCodePattern: '([' }, 'carol')).rejects.toThrow(/regular expression/);
    await expect(updateSettings(db, { nope: 1 }, 'carol')).rejects.toBeInstanceOf(ValidationError);
    expect(await getSettings(db)).toEqual(before);
  });

  it('when the default code does not fit the pattern, then it is refused', async () => {
    await expect(updateSettings(ctx().db, { defaultAccountCode: 'TOO-LONG' }, 'dave')).rejects.toThrow(/defaultAccountCode/);
  });

  it('when nested mappings are set, then their defaults fill the gaps', async () => {
    const { db } = ctx();
    // 17.5% needs a T-code whose Sage rate is 17.5% (sageTaxRates): T1 is 20%.
    await updateSettings(
      db,
      { taxCodes: { byPercent: { '20': 1, '17.5': 3 } }, sageTaxRates: { '1': '20', '3': '17.5', '9': '0' } },
      'erin',
    );
    const { taxCodes } = await getSettings(db);
    expect(taxCodes).toEqual({ byRateId: {}, byClass: {}, byPercent: { '20': 1, '17.5': 3 }, untaxed: 9 });
  });
});

it('parseSettingValue reads JSON where it fits the key and text otherwise', () => {
  expect(parseSettingValue('createAccounts', 'true')).toBe(true);
  expect(parseSettingValue('settleMinutes', '30')).toBe(30);
  expect(parseSettingValue('defaultAccountCode', 'CASH')).toBe('CASH');
  expect(parseSettingValue('defaultAccountCode', '0123')).toBe('0123');
  expect(parseSettingValue('importStatuses', '["processing"]')).toEqual(['processing']);
  expect(() => parseSettingValue('colour', 'red')).toThrow(/unknown setting "colour"/);
});
