import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWooSage } from './helpers/cli.ts';

const docs = (name: string) => path.join(import.meta.dirname, 'fixtures/woo-docs', name);
const sage = (name: string) => path.join(import.meta.dirname, 'fixtures/sage', name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-plan-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// plan must never touch a database: point DATABASE_URL at a file that must not appear.
const dbFile = path.join(tmp, 'never', 'created.sqlite');
const env = { DATABASE_URL: `sqlite:${dbFile}` };

function settingsFile(doc: Record<string, unknown>): string {
  const file = path.join(tmp, `settings-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

function writeFile(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

async function plan(...args: string[]) {
  const result = await runWooSage(['plan', '--json', ...args], env);
  expect(result.stderr, result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as { orderId: number; rule: string; accountCode: string | null; reason: string }[];
}

const decisions = (entries: Awaited<ReturnType<typeof plan>>) => entries.map((e) => [e.orderId, e.rule, e.accountCode]);

describe('woo-sage plan on the WooCommerce REST docs example orders', () => {
  it('when run with the Sage export and default settings, then the guest orders match DOE001 by email and the new customer gets a new code', async () => {
    const entries = await plan('--orders', docs('orders.json'), '--accounts', docs('accounts.xml'));
    expect(decisions(entries)).toEqual([
      [727, 'EXISTING', 'DOE001'],
      [723, 'NEW', 'SILVAJ01'],
      [728, 'EXISTING', 'DOE001'],
      [729, 'EXISTING', 'DOE001'],
    ]);
    expect(entries[0]!.reason).toBe('Billing email john.doe@example.com matches Sage account DOE001 (searchSageByEmail is on).');
    expect(entries[1]!.reason).toContain('new Sage account SILVAJ01 will be created from the billing name "João Silva"');
    expect(Object.keys(entries[0]!)).toEqual(['orderId', 'rule', 'accountCode', 'reason']);
    expect(fs.existsSync(dbFile)).toBe(false);
  });

  it("when the customer's profile links them to SILVA01, then order 723 takes rule PROFILE", async () => {
    const entries = await plan(
      '--orders',
      docs('orders.json'),
      '--accounts',
      docs('accounts.xml'),
      '--customers',
      docs('customers-linked.json'),
    );
    expect(entries[1]).toMatchObject({
      orderId: 723,
      rule: 'PROFILE',
      accountCode: 'SILVA01',
      reason: "Customer 26's profile carries Sage account code SILVA01, which takes priority over the other rules.",
    });
  });

  it('when the customers file has the customer without a code, then 723 still gets a new account', async () => {
    const entries = await plan('--orders', docs('orders.json'), '--accounts', docs('accounts.xml'), '--customers', docs('customers.json'));
    expect(entries[1]).toMatchObject({ orderId: 723, rule: 'NEW', accountCode: 'SILVAJ01' });
  });

  it('when a customers file is given but lacks the buyer of a logged-in order, then that order is held as sync would hold it', async () => {
    const entries = await plan('--orders', docs('orders.json'), '--customers', writeFile('no-customers.json', '[]'));
    expect(entries[1]).toMatchObject({ orderId: 723, rule: 'NONE', accountCode: null });
    expect(entries[1]!.reason).toContain("Customer 26's WooCommerce profile has not been read");
  });

  it('when there is no Sage export, then the first John Doe order creates DOEJOH01 and his later orders find it', async () => {
    const entries = await plan('--orders', docs('orders.json'));
    expect(decisions(entries)).toEqual([
      [727, 'NEW', 'DOEJOH01'],
      [723, 'NEW', 'SILVAJ01'],
      [728, 'EXISTING', 'DOEJOH01'],
      [729, 'EXISTING', 'DOEJOH01'],
    ]);
  });

  it('when searching by email is off, then NEW codes stay stable for the same buyer within the run', async () => {
    const entries = await plan(
      '--orders',
      docs('orders.json'),
      '--accounts',
      docs('accounts.xml'),
      '--settings',
      settingsFile({ searchSageByEmail: false }),
    );
    expect(decisions(entries)).toEqual([
      [727, 'NEW', 'DOEJOH01'],
      [723, 'NEW', 'SILVAJ01'],
      [728, 'NEW', 'DOEJOH01'],
      [729, 'NEW', 'DOEJOH01'],
    ]);
  });

  it('when accounts are only for logged-in buyers and there is no default, then the guest orders are held', async () => {
    const entries = await plan('--orders', docs('orders.json'), '--settings', settingsFile({ createAccountsForLoggedInOnly: true }));
    expect(decisions(entries)).toEqual([
      [727, 'NONE', null],
      [723, 'NEW', 'SILVAJ01'],
      [728, 'NONE', null],
      [729, 'NONE', null],
    ]);
    expect(entries[0]!.reason).toBe(
      'The guest order carries no account code, no Sage account has billing email john.doe@example.com, the buyer checked out as a guest and createAccountsForLoggedInOnly is on and no defaultAccountCode is set, so the order is held.',
    );
  });

  it('when account creation is off and a default is set, then every unmatched order goes to the default', async () => {
    const entries = await plan(
      '--orders',
      docs('orders.json'),
      '--settings',
      settingsFile({ createAccounts: false, defaultAccountCode: 'cash' }),
    );
    expect(decisions(entries)).toEqual([
      [727, 'DEFAULT', 'CASH'],
      [723, 'DEFAULT', 'CASH'],
      [728, 'DEFAULT', 'CASH'],
      [729, 'DEFAULT', 'CASH'],
    ]);
  });

  it('when two Sage accounts carry the billing email, then the orders are held naming both', async () => {
    const accounts = writeFile(
      'two-does.xml',
      '<Company><Customers><Customer><AccountReference>DOE001</AccountReference><Email>john.doe@example.com</Email></Customer><Customer><AccountReference>DOE002</AccountReference><Email3>JOHN.DOE@example.com</Email3></Customer></Customers></Company>',
    );
    const entries = await plan('--orders', docs('orders.json'), '--accounts', accounts);
    expect(entries[0]).toMatchObject({ rule: 'NONE', accountCode: null });
    expect(entries[0]!.reason).toContain('matches 2 Sage accounts (DOE001, DOE002)');
  });

  it('when --trace is given, then each decision carries its trace', async () => {
    const result = await runWooSage(['plan', '--json', '--trace', '--orders', docs('orders.json')], env);
    const [first] = JSON.parse(result.stdout);
    expect(first.trace[0]).toEqual({
      step: 'ORDER',
      result: 'noted',
      detail: 'Order 727 was placed by a guest; billing email john.doe@example.com.',
    });
  });
});

describe('woo-sage plan input handling', () => {
  it('when one order cannot be read, then it gets NONE naming the field and the others are still planned', async () => {
    const orders = JSON.parse(fs.readFileSync(docs('orders.json'), 'utf8'));
    orders[1].total = 'thirty-nine';
    orders.push({ status: 'processing' }, 42);
    const entries = await plan('--orders', writeFile('broken-orders.json', JSON.stringify(orders)), '--accounts', docs('accounts.xml'));
    expect(decisions(entries)).toEqual([
      [727, 'EXISTING', 'DOE001'],
      [723, 'NONE', null],
      [728, 'EXISTING', 'DOE001'],
      [729, 'EXISTING', 'DOE001'],
      [null, 'NONE', null],
      [null, 'NONE', null],
    ]);
    expect(entries[1]!.reason).toBe('Order 723 cannot be read (total: is not a decimal amount (got "thirty-nine")), so it is held.');
    expect(entries[4]!.reason).toContain('element 4 of the orders file: id:');
  });

  it('when ORDERS.json is a single order object, then it is planned', async () => {
    const [order] = JSON.parse(fs.readFileSync(docs('orders.json'), 'utf8'));
    expect(decisions(await plan('--orders', writeFile('one.json', JSON.stringify(order))))).toEqual([[727, 'NEW', 'DOEJOH01']]);
  });

  it.each([
    [['plan'], 'plan needs --orders ORDERS.json'],
    [['plan', '--orders', '/nonexistent/orders.json'], 'ORDERS.json /nonexistent/orders.json: cannot be read (ENOENT)'],
    [['plan', '--orders', '@notjson'], 'is not valid JSON'],
    [['plan', '--orders', '@number'], 'expected a WooCommerce order object or an array of them'],
    [['plan', '--orders', 'ORDERS', '--accounts', sage('malformed.xml')], 'line 10, column'],
    [['plan', '--orders', 'ORDERS', '--accounts', sage('billion-laughs.xml')], 'DOCTYPE'],
    [['plan', '--orders', 'ORDERS', '--settings', '@badsettings'], 'settleMinutes'],
  ])('when run as %j, then it exits 2 with a clear message and prints no plan', async (args, message) => {
    const files: Record<string, string> = {
      '@notjson': writeFile('not.json', '{ "id": 1,'),
      '@number': writeFile('number.json', '42'),
      '@badsettings': settingsFile({ settleMinutes: 'soon', searchSageByEmail: true }),
      ORDERS: docs('orders.json'),
    };
    const result = await runWooSage(
      args.map((a) => files[a] ?? a),
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('when --json is not given, then one readable line per order is printed', async () => {
    const result = await runWooSage(['plan', '--orders', docs('orders.json'), '--accounts', docs('accounts.xml')], env);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(
      'order 727: EXISTING DOE001 — Billing email john.doe@example.com matches Sage account DOE001 (searchSageByEmail is on).',
    );
  });
});
