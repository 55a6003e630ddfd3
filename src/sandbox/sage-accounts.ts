import { create } from 'xmlbuilder2';
import { codeStem, customerFacts } from './generate-customer.ts';
import { repeatGuestIdentity, repeatGuestPoolSize } from './generate-order.ts';
import type { GeneratorConfig } from './generator-config.ts';
import type { Identity } from './people.ts';
import { hashInts } from './random.ts';
import { plainText } from '../sage/xml-text.ts';

/** A Sage 50 customer account as the importer's customer export lists it. */
export interface SageAccountSeed {
  id: string;
  accountReference: string;
  companyName: string;
  forename: string;
  surname: string;
  address1: string;
  address2: string;
  town: string;
  county: string;
  postcode: string;
  country: string;
  telephone: string;
  /** Email, Email2, … (up to 6, as Sage has). */
  emails: string[];
  vatNumber?: string;
}

/**
 * The Sage accounts that go with a sandbox shop, for the demo: every well-formed profile code of its
 * customers (rule PROFILE), accounts for about a third of the other registered buyers and a quarter
 * of the repeat guests by email (rule EXISTING, some emails typed in capitals in Sage), one email
 * shared by two accounts (ambiguous), and a few accounts that have nothing to do with the shop.
 */
export function sandboxSageAccounts(config: GeneratorConfig): SageAccountSeed[] {
  const accounts = new Map<string, SageAccountSeed>();
  const emailsSeen = new Set<string>();
  const freeCode = (stem: string) => {
    for (let n = 1; ; n++) {
      const code = `${stem.slice(0, 8 - String(n).padStart(2, '0').length)}${String(n).padStart(2, '0')}`;
      if (!accounts.has(code)) return code;
    }
  };
  const add = (code: string, who: Identity, email: string) => {
    const existing = accounts.get(code);
    if (existing) {
      if (existing.emails.length < 6 && !existing.emails.some((e) => e.toLowerCase() === email.toLowerCase())) existing.emails.push(email);
      return;
    }
    accounts.set(code, {
      id: String(accounts.size + 1),
      accountReference: code,
      companyName: (who.company || `${who.first_name} ${who.last_name}`).slice(0, 60),
      forename: who.first_name,
      surname: who.last_name,
      address1: who.address_1,
      address2: who.address_2,
      town: who.city,
      county: who.state,
      postcode: who.postcode,
      country: who.country,
      telephone: who.phone,
      emails: [email],
      ...(who.company
        ? { vatNumber: `GB${String(100_000_000 + (hashInts(config.seed, 31, accounts.size) % 899_999_999)).slice(0, 9)}` }
        : {}),
    });
    emailsSeen.add(email.toLowerCase());
  };

  add('CASH', { ...blank, company: 'Cash Sales', first_name: '', last_name: '' }, 'shop@example.co.uk');
  add('AMAZON', { ...blank, company: 'Amazon Marketplace', first_name: '', last_name: '' }, 'marketplace@amazon.example');
  for (let id = 1; id <= config.customers; id++) {
    const facts = customerFacts(config, id);
    const email = facts.identity.email;
    if (facts.profileKind === 'valid' || facts.profileKind === 'messy') {
      add(facts.profileCode!.trim().toUpperCase(), facts.identity, email);
      continue;
    }
    if (facts.profileKind !== 'none' || emailsSeen.has(email.toLowerCase())) continue;
    const roll = hashInts(config.seed, 21, id) % 100;
    const stem = codeStem(facts.identity.company || facts.identity.last_name);
    if (roll < 2) {
      // Two accounts for one email: an ambiguous match a person must resolve.
      add(freeCode(stem), facts.identity, email);
      add(freeCode(stem), facts.identity, email.toUpperCase());
    } else if (roll < 33) {
      add(freeCode(stem), facts.identity, roll % 5 === 0 ? email.toUpperCase() : email);
    }
  }
  const pool = repeatGuestPoolSize(config);
  for (let g = 0; g < pool; g++) {
    if (hashInts(config.seed, 22, g) % 4 !== 0) continue;
    const who = repeatGuestIdentity(config, g);
    if (emailsSeen.has(who.email.toLowerCase())) continue;
    add(freeCode(codeStem(who.company || who.last_name)), who, who.email);
  }
  return [...accounts.values()];
}

const blank: Identity = {
  first_name: '',
  last_name: '',
  company: '',
  address_1: '1 High Street',
  address_2: '',
  city: 'Leeds',
  state: 'West Yorkshire',
  postcode: 'LS1 1AA',
  country: 'GB',
  email: '',
  phone: '0113 496 0000',
};

/** The accounts as a Sage 50 Customer XML export (Zynk's Company/Customers/Customer format). */
export function renderSageCustomerExport(accounts: readonly SageAccountSeed[]): string {
  const doc = create({ version: '1.0', encoding: 'utf-8' }).ele('Company', {
    'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    'xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
  });
  const customers = doc.ele('Customers');
  for (const a of accounts) {
    const c = customers.ele('Customer');
    c.ele('Id').txt(plainText(a.id));
    c.ele('AccountReference').txt(plainText(a.accountReference));
    c.ele('CompanyName').txt(plainText(a.companyName));
    const address = c.ele('CustomerInvoiceAddress');
    const field = (name: string, value: string) => {
      if (value) address.ele(name).txt(plainText(value));
    };
    field('Forename', a.forename);
    field('Surname', a.surname);
    field('Company', a.companyName);
    field('Address1', a.address1);
    field('Address2', a.address2);
    field('Town', a.town);
    field('Postcode', a.postcode);
    field('County', a.county);
    field('Country', a.country);
    field('Telephone', a.telephone);
    a.emails.forEach((email, i) => field(i === 0 ? 'Email' : `Email${i + 1}`, email));
    if (a.vatNumber) c.ele('VatNumber').txt(plainText(a.vatNumber));
    c.ele('Currency').txt(plainText('GBP'));
    c.ele('TermsAgreed').txt(plainText('true'));
    c.ele('AccountOnHold').txt(plainText('false'));
  }
  return doc.end({ prettyPrint: true });
}
