import { COMPANY_KINDS, COMPANY_WORDS, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, PLACES, STREETS } from './catalog.ts';
import { Rng } from './random.ts';

/** A buyer's name, contact details and UK address, as WooCommerce's billing block holds them. */
export interface Identity {
  first_name: string;
  last_name: string;
  company: string;
  address_1: string;
  address_2: string;
  city: string;
  state: string;
  postcode: string;
  country: string;
  email: string;
  phone: string;
}

/** "Seán Ó Súilleabháin" → "sean.osuilleabhain": what people type as an email address. */
export function emailLocalPart(...parts: string[]): string {
  return parts
    .map((p) =>
      p
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]/g, ''),
    )
    .filter(Boolean)
    .join('.');
}

function postcode(rng: Rng, area: string): string {
  const letters = 'ABDEFGHJLNPQRSTUWXYZ';
  return `${area}${rng.int(1, 20)} ${rng.int(1, 9)}${letters[rng.int(0, letters.length - 1)]}${letters[rng.int(0, letters.length - 1)]}`;
}

/**
 * A person (and sometimes their company), derived from the generator stream alone. `businessShare`
 * is how often the buyer is a business, which changes the email to a company address.
 */
export function makeIdentity(rng: Rng, businessShare = 0.2): Identity {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const place = rng.pick(PLACES);
  const isBusiness = rng.chance(businessShare);
  const company = isBusiness ? `${rng.pick(COMPANY_WORDS)} ${rng.pick(COMPANY_KINDS)}` : '';
  const email = isBusiness
    ? `${rng.pick(['accounts', 'orders', emailLocalPart(first)])}@${emailLocalPart(company).replace(/\./g, '-')}.co.uk`
    : `${emailLocalPart(first, last)}${rng.chance(0.5) ? rng.int(1, 99) : ''}@${rng.pick(EMAIL_DOMAINS)}`;
  return {
    first_name: first,
    last_name: last,
    company,
    address_1: `${rng.int(1, 220)} ${rng.pick(STREETS)}`,
    address_2: rng.chance(0.2) ? `Flat ${rng.int(1, 40)}` : '',
    city: place.town,
    state: place.county,
    postcode: postcode(rng, place.postcodeArea),
    country: 'GB',
    email,
    phone: rng.chance(0.9) ? `07${rng.int(100, 999)} ${rng.int(100000, 999999)}` : '',
  };
}

/** Real checkouts carry stray capitals and spaces in emails now and then. */
export function messyEmail(rng: Rng, email: string): string {
  const [local = '', domain = ''] = email.split('@');
  const cap = (s: string) => s.replace(/(^|\.)([a-z])/g, (_m, dot: string, c: string) => `${dot}${c.toUpperCase()}`);
  return rng.chance(0.5) ? ` ${cap(local)}@${domain.toUpperCase()} ` : `${cap(local)}@${domain}`;
}
