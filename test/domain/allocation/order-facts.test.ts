import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/settings/schema.ts';
import { wooOrderFacts } from '../../../src/woo/domain-inputs.ts';
import { parseCustomer, parseOrder, type WooOrder } from '../../../src/woo/schemas.ts';
import { InMemoryMirror } from '../../../src/domain/allocation/in-memory-mirror.ts';
import {
  customerOwnerKey,
  guestOwnerKey,
  isPlausibleEmail,
  normaliseAccountCode,
  normaliseEmail,
} from '../../../src/domain/allocation/normalise.ts';
import type { MirrorAccount } from '../../../src/domain/allocation/types.ts';
import { unreadableOrderDecision } from '../../../src/domain/allocation/unreadable.ts';

function order(input: Record<string, unknown>): WooOrder {
  const parsed = parseOrder({ id: 100, status: 'processing', total: '1.00', ...input });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

const address = {
  first_name: ' Jo ',
  last_name: ' Bloggs ',
  company: ' Bloggs Ltd ',
  address_1: ' 1 High St ',
  address_2: ' Flat 2 ',
  city: ' Leeds ',
  state: ' West Yorks ',
  postcode: ' LS1 1AA ',
  country: ' GB ',
  phone: ' 0113 ',
};

describe('the facts of an order', () => {
  it('when a guest gives a full billing address, then the contact is trimmed and the new account is named after the company', () => {
    const facts = wooOrderFacts(order({ billing: { ...address, email: ' Jo@X.com ' } }), undefined, DEFAULT_SETTINGS);
    expect(facts).toMatchObject({
      orderId: 100,
      customerId: 0,
      loggedIn: false,
      customerProfile: 'guest',
      billingEmail: 'jo@x.com',
      billingEmailGiven: 'Jo@X.com',
      profileCode: null,
      overriddenProfileCode: null,
      ownerKey: 'guest:jo@x.com',
      codeStem: 'BLOGGSLT',
      codeStemSource: 'company',
    });
    expect(facts.newAccount).toEqual({
      companyName: 'Bloggs Ltd',
      invoiceAddress: {
        title: '',
        forename: 'Jo',
        surname: 'Bloggs',
        company: 'Bloggs Ltd',
        address1: '1 High St',
        address2: 'Flat 2',
        town: 'Leeds',
        county: 'West Yorks',
        postcode: 'LS1 1AA',
        country: 'GB',
        telephone: '0113',
        email: 'jo@x.com',
      },
      deliveryAddress: null,
      email: 'jo@x.com',
      telephone: '0113',
      wooCustomerId: null,
      createdForOrderId: 100,
    });
  });

  it('when the order has a shipping address, then it is the delivery address, without an email', () => {
    const facts = wooOrderFacts(order({ billing: { email: 'jo@x.com' }, shipping: address }), undefined, DEFAULT_SETTINGS);
    expect(facts.newAccount.deliveryAddress).toMatchObject({
      forename: 'Jo',
      surname: 'Bloggs',
      company: 'Bloggs Ltd',
      town: 'Leeds',
      postcode: 'LS1 1AA',
      email: '',
    });
  });

  it.each(['first_name', 'last_name', 'company', 'address_1', 'city', 'postcode'])(
    'when the shipping address has only a %s, then it still counts as a delivery address',
    (field) => {
      const facts = wooOrderFacts(order({ shipping: { [field]: 'x' } }), undefined, DEFAULT_SETTINGS);
      expect(facts.newAccount.deliveryAddress).not.toBeNull();
    },
  );

  it('when the shipping address has only blanks, a second line, a county or a phone, then there is no delivery address', () => {
    const facts = wooOrderFacts(
      order({ shipping: { first_name: ' ', address_2: 'Flat 2', state: 'Kent', country: 'GB', phone: '1' } }),
      undefined,
      DEFAULT_SETTINGS,
    );
    expect(facts.newAccount.deliveryAddress).toBeNull();
  });

  it('when there is no company, then the account is named after the person, else the email, else the order', () => {
    const named = (billing: Record<string, unknown>) =>
      wooOrderFacts(order({ billing }), undefined, DEFAULT_SETTINGS).newAccount.companyName;
    expect(named({ first_name: 'Jo', last_name: 'Bloggs', email: 'jo@x.com' })).toBe('Jo Bloggs');
    expect(named({ last_name: 'Bloggs', email: 'jo@x.com' })).toBe('Bloggs');
    expect(named({ email: 'jo@x.com' })).toBe('jo@x.com');
    expect(named({ email: 'not an email' })).toBe('WooCommerce order 100');
  });

  it('when the billing email is not plausible, then there is none to match or to own an account, but the given text is kept for messages', () => {
    const facts = wooOrderFacts(order({ billing: { email: ' jo@x ' } }), undefined, DEFAULT_SETTINGS);
    expect(facts).toMatchObject({ billingEmail: null, billingEmailGiven: 'jo@x', ownerKey: null, codeStem: 'CUST' });
    expect(facts.newAccount.email).toBe('');
    expect(facts.newAccount.invoiceAddress.email).toBe('');
  });

  it('when a logged-in buyer has a stored profile, then its code, names and company fill what the order leaves out', () => {
    const row = { id: 7, profile_code: ' joe001 ', first_name: ' Joe ', last_name: ' Smith ', company: ' Acme ' };
    const facts = wooOrderFacts(order({ customer_id: 7, billing: { email: 'jo@x.com' } }), row, DEFAULT_SETTINGS);
    expect(facts).toMatchObject({
      loggedIn: true,
      customerProfile: 'found',
      profileCode: { raw: 'joe001', source: 'customer-profile' },
      ownerKey: 'customer:7',
      codeStem: 'ACME',
      codeStemSource: 'company',
    });
    expect(facts.newAccount).toMatchObject({ companyName: 'Acme', wooCustomerId: 7 });
    expect(facts.newAccount.invoiceAddress).toMatchObject({ forename: 'Joe', surname: 'Smith', company: 'Acme' });
  });

  it("when the order's billing names are given, then they win over the profile's", () => {
    const row = { id: 7, profile_code: null, first_name: 'Joe', last_name: 'Smith', company: 'Acme' };
    const facts = wooOrderFacts(
      order({ customer_id: 7, billing: { first_name: 'Jo', last_name: 'Bloggs', company: 'Bloggs Ltd' } }),
      row,
      DEFAULT_SETTINGS,
    );
    expect(facts.newAccount.invoiceAddress).toMatchObject({ forename: 'Jo', surname: 'Bloggs', company: 'Bloggs Ltd' });
    expect(facts.profileCode).toBeNull();
  });

  it('when a stored profile has a blank code or no names, then it has no code and the order decides the names', () => {
    const facts = wooOrderFacts(
      order({ customer_id: 7, billing: { last_name: 'Bloggs' } }),
      { id: 7, profile_code: '  ' },
      DEFAULT_SETTINGS,
    );
    expect(facts).toMatchObject({ customerProfile: 'found', profileCode: null, codeStem: 'BLOGGS', codeStemSource: 'name' });
    expect(facts.newAccount.invoiceAddress).toMatchObject({ forename: '', company: '' });
  });

  it("when a WooCommerce customer is given, then its meta carries the code and its own names come before its billing's", () => {
    const parsed = parseCustomer({
      id: 7,
      first_name: 'Joe',
      last_name: '',
      billing: { first_name: 'Billy', last_name: 'Smith', company: 'Acme' },
      meta_data: [{ key: DEFAULT_SETTINGS.profileMetaKey, value: ' JOE001 ' }],
    });
    if (!parsed.ok) throw new Error(parsed.reason);
    const facts = wooOrderFacts(order({ customer_id: 7 }), parsed.value, DEFAULT_SETTINGS);
    expect(facts.profileCode).toEqual({ raw: 'JOE001', source: 'customer-profile' });
    expect(facts.newAccount.invoiceAddress).toMatchObject({ forename: 'Joe', surname: 'Smith', company: 'Acme' });
  });

  it("when the profile supplied is another customer's, then it is not used: the profile is missing", () => {
    const facts = wooOrderFacts(order({ customer_id: 7 }), { id: 8, profile_code: 'OTHER1', company: 'Other' }, DEFAULT_SETTINGS);
    expect(facts).toMatchObject({ customerProfile: 'not-found', profileCode: null, codeStemSource: 'fallback' });
  });

  it('when a logged-in buyer has no profile, then it is missing (looked for) or not looked up (none supplied)', () => {
    expect(wooOrderFacts(order({ customer_id: 7 }), null, DEFAULT_SETTINGS).customerProfile).toBe('not-found');
    expect(wooOrderFacts(order({ customer_id: 7 }), undefined, DEFAULT_SETTINGS).customerProfile).toBe('not-looked-up');
  });

  it("when a guest's order comes with a profile, then the profile is ignored", () => {
    const facts = wooOrderFacts(order({ billing: { email: 'jo@x.com' } }), { id: 0, profile_code: 'PROF1' }, DEFAULT_SETTINGS);
    expect(facts).toMatchObject({ customerProfile: 'guest', profileCode: null, ownerKey: 'guest:jo@x.com' });
  });

  it("when the order's meta and the profile both carry a code, then the order's wins and the profile's is kept only when it differs", () => {
    const meta = (value: string) => [{ key: DEFAULT_SETTINGS.profileMetaKey, value }];
    const differs = wooOrderFacts(order({ customer_id: 7, meta_data: meta('ORDER1') }), { id: 7, profile_code: 'PROF1' }, DEFAULT_SETTINGS);
    expect(differs).toMatchObject({ profileCode: { raw: 'ORDER1', source: 'order-meta' }, overriddenProfileCode: 'PROF1' });
    const same = wooOrderFacts(order({ customer_id: 7, meta_data: meta('order1') }), { id: 7, profile_code: 'ORDER1' }, DEFAULT_SETTINGS);
    expect(same.overriddenProfileCode).toBeNull();
    const alone = wooOrderFacts(order({ customer_id: 7, meta_data: meta('ORDER1') }), { id: 7, profile_code: null }, DEFAULT_SETTINGS);
    expect(alone).toMatchObject({ profileCode: { raw: 'ORDER1', source: 'order-meta' }, overriddenProfileCode: null });
  });
});

describe('emails, codes and owners', () => {
  it('an email is trimmed, composed to one Unicode form and lower-cased; none is empty', () => {
    expect(normaliseEmail('  Zoe\u0308@X.COM ')).toBe('zo\u00eb@x.com');
    expect(normaliseEmail(null)).toBe('');
    expect(normaliseEmail(undefined)).toBe('');
  });

  it.each([
    ['jo@x.com', true],
    ['j.o+tag@mail.x.co.uk', true],
    ['jo@x', false],
    ['jo x@x.com', false],
    ['@x.com', false],
    ['jo@', false],
    ['jo@@x.com', false],
    ['jo@x.com extra', false],
    ['prefix jo@x.com', false],
  ])('%s is a plausible email: %s', (email, plausible) => {
    expect(isPlausibleEmail(email)).toBe(plausible);
  });

  it('an email of 254 characters is plausible, 255 is not', () => {
    expect(isPlausibleEmail(`${'a'.repeat(245)}@x.com.uk`)).toBe(true);
    expect(isPlausibleEmail(`${'a'.repeat(246)}@x.com.uk`)).toBe(false);
  });

  it('an account code is trimmed and upper-cased', () => {
    expect(normaliseAccountCode('  joe001 ')).toBe('JOE001');
  });

  it('a customer owns by id; a guest by email, hashed when the key would not fit its 191-character column', () => {
    expect(customerOwnerKey(7)).toBe('customer:7');
    const fits = `${'a'.repeat(179)}@x.com`; // 185 characters: "guest:" and it are 191
    expect(guestOwnerKey(fits)).toBe(`guest:${fits}`);
    expect(`guest:${fits}`).toHaveLength(191);
    const long = `a${fits}`;
    expect(guestOwnerKey(long)).toMatch(/^guest-sha256:[0-9a-f]{64}$/);
    expect(guestOwnerKey(long)).not.toBe(guestOwnerKey(`b${fits}`));
    expect(guestOwnerKey(long)).toBe(guestOwnerKey(long));
  });
});

describe('an order that cannot be read', () => {
  it('when its id is known, then the held decision names it and the problem, in the reason and the trace', () => {
    expect(unreadableOrderDecision(12, 'total: "x" is not an amount')).toEqual({
      rule: 'NONE',
      accountCode: null,
      reason: 'Order 12 cannot be read (total: "x" is not an amount), so it is held.',
      trace: [{ step: 'ORDER', result: 'held', detail: 'Order 12 cannot be read (total: "x" is not an amount), so it is held.' }],
    });
  });

  it('when its id is not known, then the decision says "the order"', () => {
    expect(unreadableOrderDecision(null, 'not JSON').reason).toBe('The order cannot be read (not JSON), so it is held.');
  });
});

describe('the account mirror in memory', () => {
  const account = (code: string, emails: string[], extra: Partial<MirrorAccount> = {}): MirrorAccount => ({
    code,
    name: null,
    status: 'active',
    ownerKey: null,
    emails,
    ...extra,
  });

  it('when accounts share an email, then both are found, in code order, each once', () => {
    const mirror = new InMemoryMirror([account('ZED01', ['jo@x.com']), account('ABE01', ['jo@x.com', 'jo@x.com'])]);
    expect(mirror.byEmail('jo@x.com').map((a) => a.code)).toEqual(['ABE01', 'ZED01']);
    mirror.put(account('MID01', ['jo@x.com']));
    expect(mirror.byEmail('jo@x.com').map((a) => a.code)).toEqual(['ABE01', 'MID01', 'ZED01']);
    mirror.put(account('AAA01', ['jo@x.com']));
    expect(mirror.byEmail('jo@x.com').map((a) => a.code)).toEqual(['AAA01', 'ABE01', 'MID01', 'ZED01']);
    mirror.put(account('MID01', []));
    expect(mirror.byCode('ABE01')!.emails).toEqual(['jo@x.com']);
    expect(mirror.byEmail('nobody@x.com')).toEqual([]);
    expect(mirror.byEmail('jo@x.com').map((a) => a.code)).toEqual(['AAA01', 'ABE01', 'ZED01']);
    expect(mirror.size).toBe(4);
    expect(mirror.all().map((a) => a.code)).toEqual(['ZED01', 'ABE01', 'MID01', 'AAA01']);
    expect(new InMemoryMirror().size).toBe(0);
    // A long list given in shuffled order comes back in code order too.
    const many = new InMemoryMirror(
      Array.from({ length: 200 }, (_, i) => account(`C${String((i * 7919) % 200).padStart(3, '0')}`, ['jo@x.com'])),
    );
    expect(many.byEmail('jo@x.com').map((a) => a.code)).toEqual(Array.from({ length: 200 }, (_, i) => `C${String(i).padStart(3, '0')}`));
  });

  it('when an account is replaced, then its old emails and owner no longer find it', () => {
    const mirror = new InMemoryMirror([account('JOE01', ['old@x.com'], { ownerKey: 'customer:1' })]);
    mirror.put(account('JOE01', ['new@x.com'], { ownerKey: 'customer:2' }));
    expect(mirror.byEmail('old@x.com')).toEqual([]);
    expect(mirror.byEmail('new@x.com').map((a) => a.code)).toEqual(['JOE01']);
    expect(mirror.byOwner('customer:1')).toBeUndefined();
    expect(mirror.byOwner('customer:2')?.code).toBe('JOE01');
    expect(mirror.size).toBe(1);
  });

  it('when a code is marked taken, then it is taken without being an account', () => {
    const mirror = new InMemoryMirror([account('JOE01', [])]);
    mirror.markTaken('JOE02');
    expect([mirror.isCodeTaken('JOE01'), mirror.isCodeTaken('JOE02'), mirror.isCodeTaken('JOE03')]).toEqual([true, true, false]);
    expect(mirror.byCode('JOE02')).toBeUndefined();
    expect(mirror.byOwner('customer:9')).toBeUndefined();
  });
});
