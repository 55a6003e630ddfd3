import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/settings/schema.ts';
import { wooOrderFacts } from '../../../src/woo/domain-inputs.ts';
import { parseOrder, type WooOrder } from '../../../src/woo/schemas.ts';
import {
  allCases,
  caseOrder,
  caseSettings,
  describeCase,
  expectedAccountCode,
  expectedRule,
  TABLE_WORLD,
  type AllocationCase,
} from '../../helpers/allocation-table.ts';
import { allocate } from '../../../src/domain/allocation/allocate.ts';
import { InMemoryMirror } from '../../../src/domain/allocation/in-memory-mirror.ts';
import type { AllocationSettings, MirrorAccount } from '../../../src/domain/allocation/types.ts';

const settings = (patch: Partial<AllocationSettings> = {}): AllocationSettings => ({ ...DEFAULT_SETTINGS, ...patch });

function order(input: Record<string, unknown>): WooOrder {
  const parsed = parseOrder({ id: 100, status: 'processing', total: '1.00', ...input });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

const account = (code: string, emails: string[] = [], extra: Partial<MirrorAccount> = {}): MirrorAccount => ({
  code,
  name: null,
  status: 'active',
  ownerKey: null,
  emails,
  ...extra,
});

function tableMirror(c: AllocationCase): InMemoryMirror {
  const mirror = new InMemoryMirror([account(TABLE_WORLD.profileCode), account(TABLE_WORLD.takenCode, ['someone.else@example.com'])]);
  TABLE_WORLD.matchCodes.slice(0, c.matches).forEach((code) => mirror.put(account(code, [TABLE_WORLD.buyerEmail])));
  return mirror;
}

describe('allocation decision table (seed 004)', () => {
  const cases = allCases();

  it('covers every combination: 16 settings × profile × login × 0/1/2 matches', () => {
    expect(cases).toHaveLength(192);
  });

  it.each(cases.map((c) => [describeCase(c), c] as const))('when %s, then the table rule and account apply', (_name, c) => {
    const customer = c.loggedIn ? { id: TABLE_WORLD.customerId, profile_code: c.profile ? TABLE_WORLD.profileCode : null } : undefined;
    const facts = wooOrderFacts(order(caseOrder(c, 100)), customer, DEFAULT_SETTINGS);
    const decision = allocate(facts, settings(caseSettings(c)), tableMirror(c));
    const rule = expectedRule(c);
    expect(decision.rule).toBe(rule);
    expect(decision.accountCode).toBe(expectedAccountCode(rule));
    expect(decision.reason).toMatch(/^[A-Z].*\.$/);
    if (decision.accountCode) expect(decision.reason).toContain(decision.accountCode);
    expect(decision.trace.at(-1)).toMatchObject({ step: rule, result: rule === 'NONE' ? 'held' : 'applied', detail: decision.reason });
  });
});

describe('allocation details', () => {
  const guest = (extra: Record<string, unknown> = {}) =>
    order({ billing: { first_name: 'Jo', last_name: 'Bloggs', email: 'jo@x.com' }, ...extra });
  const run = (
    o: WooOrder,
    mirror: InMemoryMirror,
    patch: Partial<AllocationSettings> = {},
    customer?: Parameters<typeof wooOrderFacts>[1],
  ) => allocate(wooOrderFacts(o, customer, DEFAULT_SETTINGS), settings(patch), mirror);

  it('when the email matches one account, then the reason is the sentence a support person reads', () => {
    const decision = run(guest(), new InMemoryMirror([account('JOE001', ['jo@x.com'])]));
    expect(decision).toMatchObject({ rule: 'EXISTING', accountCode: 'JOE001' });
    expect(decision.reason).toBe('Billing email jo@x.com matches Sage account JOE001 (searchSageByEmail is on).');
  });

  it('when the billing email differs in case and spaces, then it still matches', () => {
    const decision = run(guest({ billing: { email: '  Jo@X.COM ' } }), new InMemoryMirror([account('JOE001', ['jo@x.com'])]));
    expect(decision.accountCode).toBe('JOE001');
  });

  it('when two accounts match and onAmbiguousEmail is hold, then the order is held naming both', () => {
    const mirror = new InMemoryMirror([account('JOE002', ['jo@x.com']), account('JOE001', ['jo@x.com'])]);
    const decision = run(guest(), mirror);
    expect(decision).toMatchObject({ rule: 'NONE', accountCode: null });
    expect(decision.reason).toContain('matches 2 Sage accounts (JOE001, JOE002)');
    expect(decision.reason).toContain('onAmbiguousEmail is hold');
  });

  it('when two accounts match and onAmbiguousEmail is first, then a confirmed account wins over a pending one, then the lowest code', () => {
    const mirror = new InMemoryMirror([
      account('AAA001', ['jo@x.com'], { status: 'pending' }),
      account('JOE002', ['jo@x.com']),
      account('JOE001', ['jo@x.com']),
    ]);
    const decision = run(guest(), mirror, { onAmbiguousEmail: 'first' });
    expect(decision).toMatchObject({ rule: 'EXISTING', accountCode: 'JOE001' });
    expect(decision.reason).toContain('JOE001 is used because onAmbiguousEmail is first');
  });

  it('when the only matching account is inactive, then it is not used and a new account is proposed', () => {
    const decision = run(guest(), new InMemoryMirror([account('JOE001', ['jo@x.com'], { status: 'inactive' })]));
    expect(decision).toMatchObject({ rule: 'NEW', accountCode: 'BLOGGS01' });
    expect(decision.trace.map((s) => s.detail).join(' ')).toContain('inactive account(s) JOE001');
  });

  it('when the match is a pending account we created, then it is used and the reason says it awaits confirmation', () => {
    const decision = run(
      guest(),
      new InMemoryMirror([account('BLOGGS01', ['jo@x.com'], { status: 'pending', ownerKey: 'guest:jo@x.com' })]),
    );
    expect(decision).toMatchObject({ rule: 'EXISTING', accountCode: 'BLOGGS01' });
    expect(decision.reason).toContain('not yet confirmed');
  });

  it('when a profile code has spaces and lower case, then it is normalised', () => {
    const decision = run(order({ customer_id: 7 }), new InMemoryMirror([account('JOE001')]), {}, { id: 7, profile_code: ' joe001 ' });
    expect(decision).toMatchObject({ rule: 'PROFILE', accountCode: 'JOE001' });
    expect(decision.reason).toBe("Customer 7's profile carries Sage account code JOE001, which takes priority over the other rules.");
  });

  it('when a profile code does not fit the pattern, then the order is held naming the code and the pattern', () => {
    const decision = run(order({ customer_id: 7 }), new InMemoryMirror(), {}, { id: 7, profile_code: 'JOE-001' });
    expect(decision.rule).toBe('NONE');
    expect(decision.reason).toContain('"JOE-001"');
    expect(decision.reason).toContain('^[A-Z0-9]{1,8}$');
  });

  it('when a profile code is unknown, then it is used unless requireKnownProfileCode is on', () => {
    const o = order({ customer_id: 7 });
    const lax = run(o, new InMemoryMirror(), {}, { id: 7, profile_code: 'JOE009' });
    expect(lax).toMatchObject({ rule: 'PROFILE', accountCode: 'JOE009' });
    expect(lax.reason).toContain('not in the Sage account mirror');
    const strict = run(o, new InMemoryMirror(), { requireKnownProfileCode: true }, { id: 7, profile_code: 'JOE009' });
    expect(strict).toMatchObject({ rule: 'NONE', accountCode: null });
    expect(strict.reason).toContain('requireKnownProfileCode is on');
  });

  it('when requireKnownProfileCode is on and the profile code is inactive, then the order is held', () => {
    const decision = run(
      order({ customer_id: 7 }),
      new InMemoryMirror([account('JOE001', [], { status: 'inactive' })]),
      { requireKnownProfileCode: true },
      { id: 7, profile_code: 'JOE001' },
    );
    expect(decision.rule).toBe('NONE');
    expect(decision.reason).toContain('inactive');
  });

  it("when the order's own meta and the customer profile both carry a code, then the order's wins and the other is traced", () => {
    const o = order({ customer_id: 7, meta_data: [{ key: 'sage_account_code', value: 'ORDER1' }] });
    const decision = run(o, new InMemoryMirror(), {}, { id: 7, profile_code: 'PROF1' });
    expect(decision.accountCode).toBe('ORDER1');
    expect(decision.trace.some((s) => s.detail.includes('profile says PROF1'))).toBe(true);
  });

  it('when a guest uses the email of a registered customer with a profile code, then that profile is not consulted', () => {
    // Seed 004: the profile code comes with the order only if the buyer was logged in.
    const o = guest();
    const decision = run(o, new InMemoryMirror(), {}, { id: 7, profile_code: 'PROF1' });
    expect(decision.rule).toBe('NEW');
  });

  it("when a logged-in buyer's profile is missing from the local copy, then the order is held rather than risk a duplicate account", () => {
    const decision = run(order({ customer_id: 7, billing: { email: 'jo@x.com' } }), new InMemoryMirror(), {}, null);
    expect(decision.rule).toBe('NONE');
    expect(decision.reason).toContain("Customer 7's WooCommerce profile has not been read");
  });

  it('when no profiles were supplied at all, then a logged-in order is decided without one and the trace says so', () => {
    const decision = run(
      order({ customer_id: 7, billing: { email: 'jo@x.com', last_name: 'Bloggs' } }),
      new InMemoryMirror(),
      {},
      undefined,
    );
    expect(decision.rule).toBe('NEW');
    expect(decision.trace.some((s) => s.detail.includes('was not supplied'))).toBe(true);
  });

  it('when the billing email is missing, then a guest cannot get a new account and the reason says why', () => {
    const decision = run(order({ billing: { last_name: 'Bloggs' } }), new InMemoryMirror());
    expect(decision.rule).toBe('NONE');
    expect(decision.reason).toBe(
      'The guest order carries no account code, the order has no billing email, a guest without a valid billing email cannot be given a new account and no defaultAccountCode is set, so the order is held.',
    );
  });

  it('when the billing email is malformed, then the reason quotes it and the default account is used', () => {
    const decision = run(order({ billing: { email: 'jo@x' } }), new InMemoryMirror(), { defaultAccountCode: 'CASH' });
    expect(decision).toMatchObject({ rule: 'DEFAULT', accountCode: 'CASH' });
    expect(decision.reason).toContain('billing email "jo@x" is not a valid address');
  });

  it('when a logged-in buyer has no email, then a new account is still made for the customer', () => {
    const decision = run(
      order({ customer_id: 7, billing: { last_name: 'Bloggs' } }),
      new InMemoryMirror(),
      {},
      { id: 7, profile_code: null },
    );
    expect(decision).toMatchObject({ rule: 'NEW', accountCode: 'BLOGGS01' });
  });

  it('when this buyer already has a pending account of ours, then NEW reuses it rather than making a second', () => {
    const mirror = new InMemoryMirror([account('BLOGGS01', [], { status: 'pending', ownerKey: 'customer:7' })]);
    const decision = run(
      order({ customer_id: 7, billing: { last_name: 'Bloggs', email: 'new@x.com' } }),
      mirror,
      {},
      { id: 7, profile_code: null },
    );
    expect(decision).toMatchObject({ rule: 'NEW', accountCode: 'BLOGGS01' });
    expect(decision.reason).toContain('already created for this buyer');
  });

  it('when NEW proposes a code, then the reason names the code and where it came from', () => {
    const decision = run(
      order({ billing: { company: 'Zynk Software Ltd', email: 'a@zynk.com' } }),
      new InMemoryMirror([account('ZYNKSO01')]),
    );
    expect(decision.accountCode).toBe('ZYNKSO02');
    expect(decision.reason).toBe(
      'The guest order carries no account code and no Sage account has billing email a@zynk.com, so new Sage account ZYNKSO02 will be created from the company name "Zynk Software Ltd" (createAccounts is on).',
    );
  });

  it('when the pattern admits no code made from the stem, then NEW is skipped with the reason', () => {
    const decision = run(guest(), new InMemoryMirror(), { accountCodePattern: '^X[0-9]{3}$' });
    expect(decision.rule).toBe('NONE');
    expect(decision.reason).toContain('fits accountCodePattern ^X[0-9]{3}$');
  });
});

describe("allocation before Sage's own accounts are known", () => {
  const unknown = { sageAccountsKnown: false };
  const guest = () => order({ billing: { first_name: 'Jo', last_name: 'Bloggs', email: 'jo@x.com' } });
  const run = (mirror: InMemoryMirror, patch: Partial<AllocationSettings> = {}) =>
    allocate(wooOrderFacts(guest(), undefined, DEFAULT_SETTINGS), settings(patch), mirror, unknown);

  it('when the order would need a new account, then it waits with "import your Sage customers first" and no code', () => {
    const decision = run(new InMemoryMirror());
    expect(decision).toMatchObject({ rule: 'NONE', accountCode: null, waitFor: 'SAGE_ACCOUNTS' });
    expect(decision.reason).toMatch(/^Import your Sage customers first: /);
    expect(decision.reason).not.toContain('BLOGGS01');
    expect(decision.trace.at(-1)).toMatchObject({ step: 'NEW', result: 'waiting' });
  });

  it('when the email matches an account, then EXISTING applies as usual', () => {
    expect(run(new InMemoryMirror([account('JOE001', ['jo@x.com'])]))).toMatchObject({ rule: 'EXISTING', accountCode: 'JOE001' });
  });

  it("when the buyer's new account was created earlier, then NEW reuses it (no new code is made)", () => {
    const mirror = new InMemoryMirror([account('BLOGGS01', [], { status: 'pending', ownerKey: 'guest:jo@x.com' })]);
    const decision = run(mirror);
    expect(decision).toMatchObject({ rule: 'NEW', accountCode: 'BLOGGS01' });
    expect(decision.waitFor).toBeUndefined();
  });

  it('when createAccounts is off, then DEFAULT or NONE apply as usual (nothing would be created)', () => {
    expect(run(new InMemoryMirror(), { createAccounts: false, defaultAccountCode: 'CASH' })).toMatchObject({ rule: 'DEFAULT' });
    expect(run(new InMemoryMirror(), { createAccounts: false }).waitFor).toBeUndefined();
  });
});

describe('MANUAL: an account a person chose (decision table)', () => {
  const at = '2026-12-01T10:00:00.000Z';
  const assigned = { code: 'ASSIGN1', by: 'alice', at, reason: 'guest phoned', source: 'order' as const };
  const linked = { code: 'LINKED1', by: 'bob', at, reason: null, source: 'email-link' as const, email: 'jo@x.com', fromOrderId: 41 };
  type Profile = 'none' | 'valid' | 'invalid';
  //     assigned  email link  profile code  email matches → rule, code
  const TABLE: Array<[boolean, boolean, Profile, 0 | 1, string, string | null]> = [
    [true, false, 'none', 0, 'MANUAL', 'ASSIGN1'],
    [true, true, 'valid', 1, 'MANUAL', 'ASSIGN1'], // the order's own assignment wins over everything
    [true, false, 'invalid', 0, 'MANUAL', 'ASSIGN1'],
    [false, true, 'none', 0, 'MANUAL', 'LINKED1'],
    [false, true, 'none', 1, 'MANUAL', 'LINKED1'], // a remembered link wins over an email match
    [false, true, 'valid', 1, 'PROFILE', 'PROF01'], // the order's own valid code wins over a remembered link
    [false, true, 'invalid', 0, 'MANUAL', 'LINKED1'], // …but a bad code no longer holds a remembered buyer
    [false, false, 'invalid', 0, 'NONE', null],
    [false, false, 'none', 1, 'EXISTING', 'JOE001'],
    [false, false, 'none', 0, 'NEW', 'BLOGGS01'],
  ];
  it.each(TABLE.map((row) => [row.slice(0, 4).join(', '), row] as const))(
    'when assigned, email link, profile, matches = %s, then the table rule applies',
    (_name, [isAssigned, isLinked, profile, matches, rule, code]) => {
      const meta = profile === 'none' ? [] : [{ key: 'sage_account_code', value: profile === 'valid' ? 'PROF01' : 'BAD-CODE' }];
      const facts = {
        ...wooOrderFacts(order({ billing: { last_name: 'Bloggs', email: 'jo@x.com' }, meta_data: meta }), undefined, DEFAULT_SETTINGS),
        assigned: isAssigned ? assigned : null,
        emailLink: isLinked ? linked : null,
      };
      const mirror = new InMemoryMirror(matches ? [account('JOE001', ['jo@x.com'])] : []);
      const decision = allocate(facts, settings(), mirror);
      expect(decision).toMatchObject({ rule, accountCode: code });
      expect(decision.trace.at(-1)).toMatchObject({ step: rule, result: rule === 'NONE' ? 'held' : 'applied' });
    },
  );

  it('when a person assigned the account, then the reason names who, when and why', () => {
    const facts = { ...wooOrderFacts(order({ billing: { email: 'jo@x.com' } }), undefined, DEFAULT_SETTINGS), assigned };
    expect(allocate(facts, settings(), new InMemoryMirror([account('ASSIGN1')])).reason).toBe(
      'Account ASSIGN1 was assigned to this order by alice on 2026-12-01 ("guest phoned").',
    );
  });

  it('when the account comes from a remembered email link, then the reason names the link and the order it came from', () => {
    const facts = { ...wooOrderFacts(order({ billing: { email: 'jo@x.com' } }), undefined, DEFAULT_SETTINGS), emailLink: linked };
    expect(allocate(facts, settings(), new InMemoryMirror()).reason).toBe(
      'Billing email jo@x.com is linked to account LINKED1 by bob on 2026-12-01, remembered from order 41.',
    );
  });

  it('when the assigned code does not fit the pattern, then the order is held naming it', () => {
    const facts = {
      ...wooOrderFacts(order({ billing: { email: 'jo@x.com' } }), undefined, DEFAULT_SETTINGS),
      assigned: { ...assigned, code: 'NO WAY' },
    };
    const decision = allocate(facts, settings(), new InMemoryMirror());
    expect(decision).toMatchObject({ rule: 'NONE', accountCode: null });
    expect(decision.reason).toContain('"NO WAY" is not a valid Sage account code');
  });

  it('when the chosen account clashes with another buyer in Sage, then the order is held pointing at the re-code', () => {
    const facts = { ...wooOrderFacts(order({ billing: { email: 'jo@x.com' } }), undefined, DEFAULT_SETTINGS), assigned };
    const mirror = new InMemoryMirror([account('ASSIGN1', [], { status: 'pending', clash: "Sage's own ASSIGN1 is another customer" })]);
    const decision = allocate(facts, settings(), mirror);
    expect(decision).toMatchObject({ rule: 'NONE', accountCode: null });
    expect(decision.reason).toContain("but Sage's own ASSIGN1 is another customer");
    expect(decision.reason).toContain('woo-sage accounts recode ASSIGN1');
  });
});

describe('the trace: every step looked at, in words a support person reads', () => {
  const facts = (input: Record<string, unknown>, customer?: Parameters<typeof wooOrderFacts>[1]) =>
    wooOrderFacts(order(input), customer, DEFAULT_SETTINGS);
  const steps = (decision: { trace: Array<{ step: string; result: string; detail: string }> }) =>
    decision.trace.map((t) => [t.step, t.result, t.detail]);
  const link = { code: 'linked1', by: 'bob', at: '2026-12-01T10:00:00Z', reason: null, source: 'email-link' as const, fromOrderId: null };

  it('when the email is on an inactive account and a named active one, then the inactive one is noted and not used', () => {
    const mirror = new InMemoryMirror([
      account('OLD01', ['jo@x.com'], { status: 'inactive' }),
      account('JOE01', ['jo@x.com'], { name: 'Jo "B" Ltd' }),
    ]);
    const decision = allocate(facts({ billing: { email: 'jo@x.com' } }), settings(), mirror);
    expect(steps(decision)).toEqual([
      ['ORDER', 'noted', 'Order 100 was placed by a guest; billing email jo@x.com.'],
      ['PROFILE', 'skipped', 'The guest order carries no account code (meta key sage_account_code).'],
      [
        'EXISTING',
        'noted',
        'Billing email jo@x.com is on inactive account(s) OLD01 (missing from the last full Sage export); they are not used.',
      ],
      ['EXISTING', 'noted', 'Sage account JOE01 is "Jo \\"B\\" Ltd".'],
      ['EXISTING', 'applied', 'Billing email jo@x.com matches Sage account JOE01 (searchSageByEmail is on).'],
    ]);
  });

  it('when every rule is off for a logged-in buyer whose profile was not supplied, then each is noted as skipped', () => {
    const decision = allocate(
      facts({ customer_id: 7, billing: { email: 'jo@x' } }),
      settings({ searchSageByEmail: false, createAccounts: false }),
      new InMemoryMirror(),
    );
    const reason =
      "Customer 7's profile was not checked (no customer profiles were supplied), searchSageByEmail is off, createAccounts is off and no defaultAccountCode is set, so the order is held.";
    expect(steps(decision)).toEqual([
      ['ORDER', 'noted', 'Order 100 was placed by logged-in customer 7; billing email "jo@x" (not a valid address).'],
      ['PROFILE', 'noted', "Customer 7's profile was not supplied, so a profile account code could not be checked."],
      ['PROFILE', 'skipped', "Customer 7's profile was not checked (no customer profiles were supplied) (meta key sage_account_code)."],
      ['EXISTING', 'skipped', 'searchSageByEmail is off, so Sage accounts were not searched by email.'],
      ['NEW', 'skipped', 'createAccounts is off.'],
      ['DEFAULT', 'skipped', 'No defaultAccountCode is set.'],
      ['NONE', 'held', reason],
    ]);
    expect(decision.reason).toBe(reason);
  });

  it('when a guest gives no email, then the search and a new account are skipped saying why', () => {
    const decision = allocate(facts({ billing: { last_name: 'Bloggs' } }), settings(), new InMemoryMirror());
    expect(steps(decision).slice(0, 5)).toEqual([
      ['ORDER', 'noted', 'Order 100 was placed by a guest; billing email none.'],
      ['PROFILE', 'skipped', 'The guest order carries no account code (meta key sage_account_code).'],
      ['EXISTING', 'skipped', 'The order has no billing email, so Sage accounts could not be searched by email.'],
      ['NEW', 'skipped', 'A guest without a valid billing email cannot be given a new account.'],
      ['DEFAULT', 'skipped', 'No defaultAccountCode is set.'],
    ]);
  });

  it.each([
    [
      { customer_id: 7, billing: { email: 'jo@x.com', first_name: 'Jo', last_name: 'Bloggs' } },
      'BLOGGS02',
      'Code BLOGGS02 is the lowest free number for "BLOGGS", made from the billing name "Jo Bloggs".',
      'Customer 7\'s profile has no account code and no Sage account has billing email jo@x.com, so new Sage account BLOGGS02 will be created from the billing name "Jo Bloggs" (createAccounts is on).',
    ],
    [
      { customer_id: 7, billing: { email: 'jo@x.com', last_name: 'Bloggs' } },
      'BLOGGS02',
      'Code BLOGGS02 is the lowest free number for "BLOGGS", made from the billing name "Bloggs".',
      'Customer 7\'s profile has no account code and no Sage account has billing email jo@x.com, so new Sage account BLOGGS02 will be created from the billing name "Bloggs" (createAccounts is on).',
    ],
    [
      { customer_id: 7, billing: { email: 'jo.b@x.com' } },
      'JOB01',
      'Code JOB01 is the lowest free number for "JOB", made from the billing email address.',
      "Customer 7's profile has no account code and no Sage account has billing email jo.b@x.com, so new Sage account JOB01 will be created from the billing email address (createAccounts is on).",
    ],
    [
      { customer_id: 7 },
      'CUST01',
      'Code CUST01 is the lowest free number for "CUST", made from a generic stem (the order has no usable name or email).',
      "Customer 7's profile has no account code and the order has no billing email, so new Sage account CUST01 will be created from a generic stem (the order has no usable name or email) (createAccounts is on).",
    ],
  ])('when a new account is made for %j, then the trace says where its code comes from', (input, code, noted, reason) => {
    const decision = allocate(facts(input, { id: 7, profile_code: null }), settings(), new InMemoryMirror([account('BLOGGS01')]));
    expect(decision).toMatchObject({ rule: 'NEW', accountCode: code, reason });
    expect(decision.trace.some((t) => t.detail.includes('was not supplied'))).toBe(false);
    expect(steps(decision).slice(-2)).toEqual([
      ['NEW', 'noted', noted],
      ['NEW', 'applied', reason],
    ]);
  });

  it("when the buyer's own earlier account is inactive, then NEW is skipped naming it and the default applies", () => {
    const mirror = new InMemoryMirror([account('BLOGGS01', [], { status: 'inactive', ownerKey: 'customer:7' })]);
    const decision = allocate(
      facts({ customer_id: 7, billing: { last_name: 'Bloggs' } }, { id: 7, profile_code: null }),
      settings({ defaultAccountCode: 'CASH' }),
      mirror,
    );
    expect(decision).toMatchObject({
      rule: 'DEFAULT',
      accountCode: 'CASH',
      reason:
        "Customer 7's profile has no account code, the order has no billing email and the account BLOGGS01 created earlier for this buyer is now inactive in Sage, so the default account CASH is used.",
    });
    expect(steps(decision)).toContainEqual([
      'NEW',
      'skipped',
      'The account BLOGGS01 created earlier for this buyer is now inactive in Sage.',
    ]);
  });

  it("when the order's code overrides the profile's and is inactive, then it is still used, and both facts are traced", () => {
    const decision = allocate(
      facts({ customer_id: 7, meta_data: [{ key: 'sage_account_code', value: 'ord1' }] }, { id: 7, profile_code: 'PROF1' }),
      settings(),
      new InMemoryMirror([account('ORD1', [], { status: 'inactive' })]),
    );
    expect(steps(decision)).toEqual([
      ['ORDER', 'noted', 'Order 100 was placed by logged-in customer 7; billing email none.'],
      ['PROFILE', 'noted', "Customer 7's profile says PROF1, but the order's own meta takes precedence."],
      [
        'PROFILE',
        'applied',
        "The order's meta sage_account_code carries Sage account code ORD1, which is used although it is marked inactive in the mirror (requireKnownProfileCode is off).",
      ],
    ]);
  });

  it('when an unusable code of more than 60 characters gives way to a remembered link, then its length is given and the inactive link is noted', () => {
    const decision = allocate(
      { ...facts({ billing: { email: 'jo@x.com' }, meta_data: [{ key: 'sage_account_code', value: 'X'.repeat(61) }] }), emailLink: link },
      settings(),
      new InMemoryMirror([account('LINKED1', [], { status: 'inactive' })]),
    );
    expect(steps(decision).slice(1)).toEqual([
      [
        'PROFILE',
        'skipped',
        `The account code "${'X'.repeat(60)}…" (61 characters) in the order's meta sage_account_code is not a valid Sage account code (accountCodePattern ^[A-Z0-9]{1,8}$).`,
      ],
      ['MANUAL', 'noted', 'Account LINKED1 is marked inactive in the mirror; it is used because a person chose it.'],
      ['MANUAL', 'applied', 'Billing email jo@x.com is linked to account LINKED1 by bob on 2026-12-01.'],
    ]);
  });

  it('when an unusable code is 60 characters, then it is quoted whole without a length', () => {
    const decision = allocate(
      facts({ meta_data: [{ key: 'sage_account_code', value: 'X'.repeat(60) }] }),
      settings(),
      new InMemoryMirror(),
    );
    expect(decision.reason).toBe(
      `The account code "${'X'.repeat(60)}" in the order's meta sage_account_code is not a valid Sage account code (accountCodePattern ^[A-Z0-9]{1,8}$), so the order is held.`,
    );
  });

  it('when a known code is required and the code is inactive, then a remembered link settles the order, with nothing noted for a known link account', () => {
    const decision = allocate(
      {
        ...facts({ billing: { email: 'jo@x.com' }, meta_data: [{ key: 'sage_account_code', value: 'P1' }] }),
        emailLink: { ...link, code: 'L1', reason: 'asked', email: 'jo@x.com', fromOrderId: 3 },
      },
      settings({ requireKnownProfileCode: true }),
      new InMemoryMirror([account('P1', [], { status: 'inactive' }), account('L1')]),
    );
    expect(steps(decision).slice(1)).toEqual([
      [
        'PROFILE',
        'skipped',
        "The account code P1 in the order's meta sage_account_code is marked inactive (missing from the last full Sage customer export) and requireKnownProfileCode is on.",
      ],
      ['MANUAL', 'applied', 'Billing email jo@x.com is linked to account L1 by bob on 2026-12-01 ("asked"), remembered from order 3.'],
    ]);
  });

  it('when a remembered link names no email, then the billing email is named, or nothing when there is none', () => {
    const withEmail = allocate(
      { ...facts({ billing: { email: 'jo@x.com' } }), emailLink: link },
      settings(),
      new InMemoryMirror([account('LINKED1')]),
    );
    expect(withEmail.reason).toBe('Billing email jo@x.com is linked to account LINKED1 by bob on 2026-12-01.');
    const without = allocate({ ...facts({}), emailLink: link }, settings(), new InMemoryMirror([account('LINKED1')]));
    expect(without.reason).toBe('Billing email  is linked to account LINKED1 by bob on 2026-12-01.');
  });

  it('when a remembered account is not in the mirror, then that is noted', () => {
    const decision = allocate({ ...facts({ billing: { email: 'jo@x.com' } }), emailLink: link }, settings(), new InMemoryMirror());
    expect(steps(decision).at(-2)).toEqual([
      'MANUAL',
      'noted',
      'Account LINKED1 is not in the Sage account mirror; it is used because a person chose it.',
    ]);
  });

  it('when the matched account clashes, then the step is traced as skipped with its own reason before the order is held', () => {
    const mirror = new InMemoryMirror([account('JOE01', ['jo@x.com'], { status: 'pending', clash: "Sage's JOE01 is Ann" })]);
    const decision = allocate(facts({ billing: { email: 'jo@x.com' } }), settings(), mirror);
    const matched =
      'Billing email jo@x.com matches account JOE01, created by woo-sage for an earlier order and not yet confirmed by a Sage export (searchSageByEmail is on)';
    expect(steps(decision).slice(-2)).toEqual([
      ['EXISTING', 'skipped', `${matched}.`],
      [
        'NONE',
        'held',
        `${matched}, but Sage's JOE01 is Ann; the order is held until a person re-codes the account created here (woo-sage accounts recode JOE01).`,
      ],
    ]);
  });

  it('when several accounts match and the first is taken, then confirmed accounts come first, then codes in order, and the rule is noted', () => {
    const mirror = new InMemoryMirror([
      account('AAA01', ['jo@x.com'], { status: 'pending' }),
      account('ZZZ01', ['jo@x.com']),
      account('MMM01', ['jo@x.com']),
    ]);
    const decision = allocate(facts({ billing: { email: 'jo@x.com' } }), settings({ onAmbiguousEmail: 'first' }), mirror);
    expect(decision.reason).toBe(
      'Billing email jo@x.com matches 3 Sage accounts (MMM01, ZZZ01, AAA01); MMM01 is used because onAmbiguousEmail is first.',
    );
    expect(steps(decision).at(-2)).toEqual([
      'EXISTING',
      'noted',
      'With several matches, confirmed accounts come before pending ones, then account codes in alphabetical order.',
    ]);
  });

  it("when the order must wait for Sage's accounts, then the reason continues in lower case", () => {
    const decision = allocate(facts({ billing: { email: 'jo@x.com', last_name: 'Bloggs' } }), settings(), new InMemoryMirror(), {
      sageAccountsKnown: false,
    });
    expect(decision.reason).toBe(
      'Import your Sage customers first: the guest order carries no account code and no Sage account has billing email jo@x.com, so a new Sage account would be created, but no Sage customer export has been imported yet and a new code could be one Sage already uses for another customer (woo-sage accounts import FILE, or accounts import --empty when Sage has no customers yet).',
    );
  });

  it('when a known code is required, then an active account in the mirror is used, and an unknown one is held saying so', () => {
    const profile = { id: 7, profile_code: 'JOE001' };
    const known = allocate(
      facts({ customer_id: 7 }, profile),
      settings({ requireKnownProfileCode: true }),
      new InMemoryMirror([account('JOE001')]),
    );
    expect(known).toMatchObject({ rule: 'PROFILE', accountCode: 'JOE001' });
    expect(known.trace.some((t) => t.detail.includes('was not supplied'))).toBe(false);
    const unknown = allocate(facts({ customer_id: 7 }, profile), settings({ requireKnownProfileCode: true }), new InMemoryMirror());
    expect(unknown.reason).toBe(
      "The account code JOE001 in customer 7's profile is not in the Sage account mirror and requireKnownProfileCode is on, so the order is held.",
    );
  });

  it('when the email matches one unnamed active account, then only the match is noted', () => {
    const decision = allocate(facts({ billing: { email: 'jo@x.com' } }), settings(), new InMemoryMirror([account('JOE01', ['jo@x.com'])]));
    expect(steps(decision).slice(2)).toEqual([
      ['EXISTING', 'noted', 'Sage account JOE01.'],
      ['EXISTING', 'applied', 'Billing email jo@x.com matches Sage account JOE01 (searchSageByEmail is on).'],
    ]);
  });

  it('when a guest matches nothing and only logged-in buyers get accounts, then both are traced and the default applies', () => {
    const decision = allocate(
      facts({ billing: { email: 'jo@x.com' } }),
      settings({ createAccountsForLoggedInOnly: true, defaultAccountCode: 'CASH' }),
      new InMemoryMirror(),
    );
    expect(steps(decision).slice(2)).toEqual([
      ['EXISTING', 'skipped', 'No Sage account has billing email jo@x.com.'],
      ['NEW', 'skipped', 'The buyer checked out as a guest and createAccountsForLoggedInOnly is on.'],
      [
        'DEFAULT',
        'applied',
        'The guest order carries no account code, no Sage account has billing email jo@x.com and the buyer checked out as a guest and createAccountsForLoggedInOnly is on, so the default account CASH is used.',
      ],
    ]);
  });

  it('when the mirror returns several matches in any order, then "first" is still the first confirmed code', () => {
    const mirror = new InMemoryMirror();
    const matches = [
      account('ZZZ01', ['jo@x.com']),
      account('AAA01', ['jo@x.com'], { status: 'pending' }),
      ...Array.from({ length: 200 }, (_, i) => account(`M${String((i * 7919) % 200).padStart(3, '0')}`, ['jo@x.com'])),
    ];
    const lookup = { ...mirror, byCode: () => undefined, byOwner: () => undefined, isCodeTaken: () => false, byEmail: () => matches };
    const decision = allocate(facts({ billing: { email: 'jo@x.com' } }), settings({ onAmbiguousEmail: 'first' }), lookup);
    expect(decision.accountCode).toBe('M000');
    const listed = Array.from({ length: 200 }, (_, i) => `M${String(i).padStart(3, '0')}`).join(', ');
    expect(decision.reason).toContain(`(${listed}, ZZZ01, AAA01)`);
  });
});
