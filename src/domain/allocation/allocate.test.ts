import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../settings/schema.ts';
import { wooOrderFacts } from '../../woo/domain-inputs.ts';
import { parseOrder, type WooOrder } from '../../woo/schemas.ts';
import {
  allCases,
  caseOrder,
  caseSettings,
  describeCase,
  expectedAccountCode,
  expectedRule,
  TABLE_WORLD,
  type AllocationCase,
} from '../../../test/helpers/allocation-table.ts';
import { allocate } from './allocate.ts';
import { InMemoryMirror } from './in-memory-mirror.ts';
import type { AllocationSettings, MirrorAccount } from './types.ts';

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
