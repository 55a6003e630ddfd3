import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { runWooSage } from './helpers/cli.ts';
import { hostileFile } from './helpers/hostile.ts';
import { describeEachDialect } from './helpers/test-db.ts';
import type { Knex } from 'knex';

/** Hostile Sage customer exports through `woo-sage accounts import` (the real command, in-process). */
const SAGE_FIXTURES = path.join(import.meta.dirname, 'fixtures', 'sage');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-hostile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function mirror(db: Knex) {
  const accounts = await db('sage_accounts').orderBy('code').select('code', 'name', 'status', 'details');
  const emails = await db('sage_account_emails').orderBy(['account_code', 'email']).select('account_code', 'email');
  return { accounts, emails };
}

/** Nothing in any text column of the mirror or the import log came from a file on this machine. */
async function leakedFileContent(db: Knex): Promise<boolean> {
  const text = JSON.stringify([await mirror(db), await db('account_imports').select(), await db('audit_log').select()]);
  return /root:.*:0:0:/.test(text);
}

describeEachDialect('hostile Sage customer exports through accounts import', (ctx) => {
  const env = () => ({ LOG_LEVEL: 'silent', DATABASE_URL: ctx().url });
  const importFile = (file: string) => runWooSage(['accounts', 'import', file, '--json'], env());

  beforeEach(async () => {
    const { db } = ctx();
    await db('sage_account_emails').del();
    await db('sage_accounts').del();
    expect((await importFile(path.join(SAGE_FIXTURES, 'customers-export.xml'))).code).toBe(0);
  });

  it.each([
    ['billion laughs', path.join(SAGE_FIXTURES, 'billion-laughs.xml')],
    ['an external entity', path.join(SAGE_FIXTURES, 'external-entity.xml')],
    ['an external parameter entity', hostileFile('accounts', 'parameter-entity.xml')],
  ])('when the export carries %s, then it is refused whole at once naming the line, and nothing is read from disk', async (_name, file) => {
    const { db } = ctx();
    const before = await mirror(db);
    const started = Date.now();
    const run = await importFile(file);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(
        `^error ACCOUNT_IMPORT_REJECTED: ${path.basename(file)}: line \\d+, column \\d+: the file has a DOCTYPE declaration; .* nothing was imported$`,
      ),
    );
    expect(await mirror(db)).toEqual(before);
    expect(await leakedFileContent(db)).toBe(false);
  });

  it('when the export uses XInclude, then nothing is included: the account is imported without the file', async () => {
    const { db } = ctx();
    const run = await importFile(hostileFile('accounts', 'xinclude.xml'));
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ customers: 1, created: 1 });
    expect(await db('sage_accounts').where({ code: 'XI001' }).first('name')).toEqual({ name: null });
    expect(await leakedFileContent(db)).toBe(false);
  });

  it('when a name holds a reference to a character XML 1.0 forbids, then the reference is dropped with a warning naming the record, and every account is imported', async () => {
    const { db } = ctx();
    const run = await importFile(hostileFile('accounts', 'invalid-character-reference.xml'));
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ customers: 2 });
    expect(summary.warnings).toContain(
      'customer "CTRL001" (line 8): line 10: character reference &#7; dropped (a character XML 1.0 forbids)',
    );
    expect(await db('sage_accounts').whereIn('code', ['GOOD001', 'CTRL001']).orderBy('code').pluck('name')).toEqual([
      'Bell  Ltd',
      'Fine Ltd',
    ]);
  });

  it('when names hold escaped metacharacters, split CDATA, emoji and RTL text, then they are stored exactly as Sage meant them', async () => {
    const { db } = ctx();
    const run = await importFile(hostileFile('accounts', 'metacharacters.xml'));
    expect(run.code).toBe(0);
    const meta = await db('sage_accounts').where({ code: 'META001' }).first('name', 'details');
    expect(meta.name).toBe(`<Acme> & "Sons" 'Ltd' ]]> <b>not a tag</b>`);
    expect(JSON.parse(meta.details)).toMatchObject({ CustomerInvoiceAddress: { Forename: ']]>', Surname: '<script>' } });
    expect((await db('sage_accounts').where({ code: 'UNI001' }).first('name')).name).toBe('شركة 😀 \u202edlrow olleh\u202c Zoë');
    expect(await db('sage_account_emails').where({ account_code: 'UNI001' }).pluck('email')).toEqual(['zoë@example.com']);
  });

  it('when account references look like paths, then they are only data: longer than Sage’s 8 characters, refused by name; no file is touched', async () => {
    const { db } = ctx();
    const run = await importFile(hostileFile('accounts', 'account-code-traversal.xml'));
    expect(run.code).toBe(0);
    expect(await db('sage_accounts').whereIn('code', ['../../ETC/PASSWD', '..\\..\\WIN', 'SAFE001']).pluck('code')).toEqual(['SAFE001']);
    expect(run.stdout + run.stderr).toContain('AccountReference is 16 characters; Sage allows 8');
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('when an export nests 100,000 elements deep, then it is refused naming the line instead of exhausting the stack', async () => {
    const { db } = ctx();
    const before = await mirror(db);
    const depth = 100_000;
    const file = path.join(tmp, 'deep.xml');
    fs.writeFileSync(
      file,
      `<?xml version="1.0"?>\n<Company><Customers><Customer><AccountReference>DEEP001</AccountReference><Notes>${'<n>'.repeat(depth)}x${'</n>'.repeat(depth)}</Notes></Customer></Customers></Company>`,
    );
    try {
      const run = await importFile(file);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /^error ACCOUNT_IMPORT_REJECTED: deep\.xml: line 2, column \d+: elements are nested more than 32 deep inside a <Customer>.*; nothing was imported$/,
      );
      expect(await mirror(db)).toEqual(before);
    } finally {
      fs.rmSync(file);
    }
  });
});
