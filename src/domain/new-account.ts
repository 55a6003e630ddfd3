import type { WooAddress, WooCustomer, WooOrder } from '../woo/schemas.ts';

/** A name and address as Sage holds it on a customer record or a sales order. */
export interface AccountContact {
  title: string;
  forename: string;
  surname: string;
  company: string;
  address1: string;
  address2: string;
  address3: string;
  town: string;
  county: string;
  postcode: string;
  /** ISO 3166 alpha-2, e.g. "GB". */
  country: string;
  telephone: string;
  email: string;
}

/**
 * What the connector knows about a Sage account it creates, stored as JSON in
 * `sage_accounts.details` when the account is reserved and rendered as the Customer document.
 */
export interface NewAccountDetails {
  /** "customer:<woo customer id>" or "guest:<trimmed, lower-cased email>" (= sage_accounts.owner_key). */
  ownerKey: string;
  /** The WooCommerce customer id, 0 for a guest. */
  wooCustomerId: number;
  /** The Sage account name (CompanyName): the company, else "Forename Surname", else the email. */
  name: string;
  /** The account's currency, e.g. "GBP" (the currency of the order that created it). */
  currency: string;
  /** Email addresses, the main one first (Sage takes up to six). */
  emails: string[];
  invoiceAddress: AccountContact;
  /** Null when the buyer gave no separate delivery address. */
  deliveryAddress: AccountContact | null;
}

/** A new account as the outbox needs it: its code and details. */
export interface NewAccount {
  code: string;
  ownerKey: string;
  details: NewAccountDetails;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** One buyer, one account: logged-in customers by their WooCommerce id, guests by email. */
export function ownerKeyOf(order: Pick<WooOrder, 'customer_id' | 'billing'>): string {
  return order.customer_id > 0 ? `customer:${order.customer_id}` : `guest:${normaliseEmail(order.billing.email)}`;
}

/**
 * The Id of the Customer document, which Zynk remembers so that a later sales order can name the
 * customer by `CustomerId`: "customer-42" or "guest-ann@example.com".
 */
export function customerDocumentId(ownerKey: string): string {
  const at = ownerKey.indexOf(':');
  return at < 0 ? ownerKey : `${ownerKey.slice(0, at)}-${ownerKey.slice(at + 1)}`;
}

export function contactFromWoo(address: WooAddress, fallback: { email?: string; telephone?: string } = {}): AccountContact {
  return {
    title: '',
    forename: address.first_name.trim(),
    surname: address.last_name.trim(),
    company: address.company.trim(),
    address1: address.address_1.trim(),
    address2: address.address_2.trim(),
    address3: '',
    town: address.city.trim(),
    county: address.state.trim(),
    postcode: address.postcode.trim(),
    country: address.country.trim().toUpperCase(),
    telephone: (address.phone || fallback.telephone || '').trim(),
    email: (address.email || fallback.email || '').trim(),
  };
}

/** True when a WooCommerce address has nothing to deliver to (virtual orders leave it empty). */
export function isEmptyAddress(address: WooAddress): boolean {
  return !address.address_1.trim() && !address.city.trim() && !address.postcode.trim();
}

function sameAddress(a: AccountContact, b: AccountContact): boolean {
  const keys: Array<keyof AccountContact> = [
    'forename',
    'surname',
    'company',
    'address1',
    'address2',
    'town',
    'county',
    'postcode',
    'country',
  ];
  return keys.every((k) => a[k].toLowerCase() === b[k].toLowerCase());
}

/**
 * The details of a new account from the order that creates it (and the customer profile when the
 * buyer was logged in: its email is the account's, the billing email is added when different).
 */
export function newAccountDetailsFromOrder(order: WooOrder, customer?: WooCustomer): NewAccountDetails {
  const invoice = contactFromWoo(order.billing);
  const delivery = isEmptyAddress(order.shipping) ? null : contactFromWoo(order.shipping, { telephone: invoice.telephone });
  const emails = [customer?.email, order.billing.email]
    .map((e) => (e ?? '').trim())
    .filter((e, i, all) => e && all.findIndex((x) => normaliseEmail(x) === normaliseEmail(e)) === i);
  const person = [invoice.forename, invoice.surname].filter(Boolean).join(' ');
  return {
    ownerKey: ownerKeyOf(order),
    wooCustomerId: order.customer_id,
    name: invoice.company || person || emails[0] || `WooCommerce customer ${order.customer_id}`,
    currency: order.currency.trim().toUpperCase(),
    emails,
    invoiceAddress: { ...invoice, email: emails[0] ?? invoice.email },
    deliveryAddress: delivery && !sameAddress(delivery, invoice) ? delivery : null,
  };
}
