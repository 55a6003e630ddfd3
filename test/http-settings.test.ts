import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { fixedClock } from '../src/domain/clock.ts';
import { DEFAULT_SETTINGS } from '../src/settings/schema.ts';
import { getSettings } from '../src/settings/store.ts';
import { Client, createTestUser, startTestApp, type TestApp } from './helpers/http.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('admin API settings and audit', (ctx) => {
  const clock = fixedClock('2026-11-23T10:00:00.000Z');
  let server: TestApp;
  let owner: Client;
  let ownerName: string;
  let support: Client;
  beforeAll(async () => {
    server = await startTestApp(ctx().db, ctx().url, { clock });
    owner = new Client(server.url);
    ownerName = await createTestUser(ctx().db, 'owner');
    await owner.login(ownerName);
    support = new Client(server.url);
    await support.login(await createTestUser(ctx().db, 'support'));
  });
  afterAll(() => server.close());

  it('when anyone signed in reads the settings, then they get the document with defaults and the help for each key', async () => {
    const res = await support.get('/api/settings');
    expect(res.status).toBe(200);
    expect(res.body.settings).toEqual(DEFAULT_SETTINGS);
    expect(res.body.help.settleMinutes).toContain('whole minutes');
  });

  it('when the owner puts a partial document, then only those keys change and each change is audited with their name', async () => {
    const res = await owner.put('/api/settings', { settleMinutes: 30, defaultAccountCode: ' cash01 ' });
    expect(res.status).toBe(200);
    expect(res.body.settings).toMatchObject({ settleMinutes: 30, defaultAccountCode: 'CASH01', createAccounts: true });
    expect(res.body.changes).toEqual([
      { key: 'defaultAccountCode', before: '', after: 'CASH01' },
      { key: 'settleMinutes', before: 60, after: 30 },
    ]);
    expect((await getSettings(ctx().db)).settleMinutes).toBe(30);
    const audit = await owner.get('/api/audit?action=settings.set');
    expect(audit.body.entries[0]).toMatchObject({ actor: ownerName, at: '2026-11-23T10:00:00.000Z', action: 'settings.set' });
    expect(audit.body.entries.map((e: { subject: string }) => e.subject).sort()).toEqual([
      'settings.defaultAccountCode',
      'settings.settleMinutes',
    ]);
  });

  it('when a value is invalid, then 400 VALIDATION_FAILED names the field and nothing changes', async () => {
    const before = await getSettings(ctx().db);
    const res = await owner.put('/api/settings', { settleMinutes: 'soon', onAmbiguousEmail: 'random', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const problems: string[] = res.body.error.details.problems;
    expect(problems.some((p) => p.startsWith('body.settleMinutes:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('body.onAmbiguousEmail:'))).toBe(true);
    expect(problems.some((p) => p.includes('colour'))).toBe(true);
    expect(await getSettings(ctx().db)).toEqual(before);
  });

  it('when the merged document breaks a rule across keys, then the store’s message names the key', async () => {
    const res = await owner.put('/api/settings', { accountCodePattern: '^[0-9]{1,8}$' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('defaultAccountCode');
  });

  it('when a support user puts settings, then 403 and the settings are unchanged', async () => {
    const before = await getSettings(ctx().db);
    const res = await support.put('/api/settings', { createAccounts: false });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect(await getSettings(ctx().db)).toEqual(before);
    expect((await support.get('/api/audit')).status).toBe(403);
  });

  it('when the audit log is longer than a page, then nextBefore pages back through it', async () => {
    for (let i = 1; i <= 5; i++) await owner.put('/api/settings', { settleMinutes: 100 + i });
    const first = await owner.get('/api/audit?subject=settings.settleMinutes&limit=2');
    expect(first.body.entries.map((e: { after: number }) => e.after)).toEqual([105, 104]);
    const second = await owner.get(`/api/audit?subject=settings.settleMinutes&limit=2&before=${first.body.nextBefore}`);
    expect(second.body.entries.map((e: { after: number }) => e.after)).toEqual([103, 102]);
    const bad = await owner.get('/api/audit?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.problems[0]).toMatch(/^query\.limit:/);
  });
});

describeEachDialect('config/example-settings.json through the admin API', (ctx) => {
  it('when the owner puts the example settings document, then it is accepted and stored as written', async () => {
    const server = await startTestApp(ctx().db, ctx().url, { clock: fixedClock('2026-11-23T10:00:00.000Z') });
    onTestFinished(() => server.close());
    const owner = new Client(server.url);
    await owner.login(await createTestUser(ctx().db, 'owner'));
    const example = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', 'config', 'example-settings.json'), 'utf8')) as object;
    const res = await owner.put('/api/settings', example);
    expect(res.status).toBe(200);
    expect(await getSettings(ctx().db)).toEqual(example);
  });
});
