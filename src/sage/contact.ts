import { contactOf } from '../domain/allocation/order-facts.ts';
import type { SageContact as AllocationContact } from '../domain/allocation/types.ts';
import { charLength, truncateChars } from '../domain/text.ts';
import { orderAddress } from '../woo/domain-inputs.ts';
import type { WooAddress, WooOrder } from '../woo/schemas.ts';
import { SAGE_LIMITS, type FieldRules } from './field-rules.ts';
import type { XmlNode } from './xml-writer.ts';

/** A name and address as Sage holds it (the allocation's contact, plus an optional third line). */
export type AddressInput = AllocationContact & { address3?: string };

/** A contact block after Sage's field rules: every value fits its field. */
export type SageContact = Required<AddressInput>;

/** A WooCommerce billing or shipping address as a Sage contact. */
export function contactFromWoo(address: WooAddress, fallback: { email?: string; telephone?: string } = {}): SageContact {
  return {
    ...contactOf(orderAddress(address), (address.email || fallback.email || '').trim()),
    address3: '',
    country: address.country.trim().toUpperCase(),
    telephone: (address.phone || fallback.telephone || '').trim(),
  };
}

/** True when a WooCommerce address has nothing to deliver to (virtual orders leave it empty). */
export function isEmptyAddress(address: WooAddress): boolean {
  return !address.address_1.trim() && !address.city.trim() && !address.postcode.trim();
}

/** An order's invoice and delivery contacts; with no delivery address, goods go to the invoice one. */
export function orderContacts(order: Pick<WooOrder, 'billing' | 'shipping'>): { invoice: SageContact; delivery: SageContact } {
  const invoice = contactFromWoo(order.billing);
  const delivery = isEmptyAddress(order.shipping) ? invoice : contactFromWoo(order.shipping, { telephone: invoice.telephone });
  return { invoice, delivery };
}

/**
 * Applies the field rules to an address. Sage builds the contact name from Title, Forename and
 * Surname into a 30-character field, so the surname, then the forename, is shortened to fit.
 */
export function contactRules(rules: FieldRules, field: string, input: AddressInput): SageContact {
  const contact: SageContact = { ...input, address3: input.address3 ?? '' };
  const line = (name: keyof SageContact, max: number = SAGE_LIMITS.addressLine) => rules.text(`${field}.${name}`, contact[name], max);
  let title = line('title', 10);
  let forename = line('forename');
  let surname = line('surname');
  const full = () => [title, forename, surname].filter(Boolean).join(' ');
  if (charLength(full()) > SAGE_LIMITS.contactName) {
    const before = full();
    const room = (used: string) => Math.max(0, SAGE_LIMITS.contactName - charLength(used) - (used ? 1 : 0));
    surname = truncateChars(surname, room([title, forename].filter(Boolean).join(' ')));
    if (!surname) forename = truncateChars(forename, room(title));
    if (!forename && !surname) title = truncateChars(title, SAGE_LIMITS.contactName);
    rules.warnings.push(`${field}: contact name "${before}" shortened to "${full()}" (Sage allows ${SAGE_LIMITS.contactName} characters)`);
  }
  return {
    title,
    forename,
    surname,
    company: line('company', SAGE_LIMITS.companyName),
    address1: line('address1'),
    address2: line('address2'),
    address3: line('address3'),
    town: line('town'),
    county: line('county'),
    postcode: line('postcode'),
    country: rules.code(`${field}.country`, contact.country.toUpperCase(), SAGE_LIMITS.country),
    telephone: line('telephone', SAGE_LIMITS.telephone),
    email: rules.code(`${field}.email`, contact.email, SAGE_LIMITS.email),
  };
}

const ORDER: Array<[keyof SageContact, string]> = [
  ['title', 'Title'],
  ['forename', 'Forename'],
  ['surname', 'Surname'],
  ['company', 'Company'],
  ['address1', 'Address1'],
  ['address2', 'Address2'],
  ['address3', 'Address3'],
  ['town', 'Town'],
  ['postcode', 'Postcode'],
  ['county', 'County'],
  ['country', 'Country'],
  ['telephone', 'Telephone'],
  ['email', 'Email'],
];

/** Writes a Contact element in the schema's order; empty fields are left out. */
export function writeContact(parent: XmlNode, element: string, contact: SageContact): void {
  const node = parent.ele(element);
  for (const [key, name] of ORDER) {
    if (contact[key]) node.ele(name).text(contact[key]);
  }
}
