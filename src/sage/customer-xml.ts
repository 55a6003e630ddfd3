import type { NewAccountDetails } from '../domain/allocation/types.ts';
import { ValidationError } from '../domain/errors.ts';
import { contactRules, writeContact, type SageContact } from './contact.ts';
import { FieldRules, SAGE_LIMITS, type DocumentHold } from './field-rules.ts';
import { element } from './xml-writer.ts';

export type { NewAccountDetails } from '../domain/allocation/types.ts';

/** A new account as the allocation reserves it (`sage_accounts` code, owner_key, details). */
export interface NewAccountInput {
  code: string;
  ownerKey: string;
  details: NewAccountDetails;
}

/**
 * The Id of the Customer document, which Zynk remembers so that a later sales order can name the
 * customer by `CustomerId`: owner key "customer:42" → "customer-42", "guest:ann@example.com" →
 * "guest-ann@example.com".
 */
export function customerDocumentId(ownerKey: string): string {
  const at = ownerKey.indexOf(':');
  return at < 0 ? ownerKey : `${ownerKey.slice(0, at)}-${ownerKey.slice(at + 1)}`;
}

/** A Customer element after Sage's field rules. */
export interface CustomerDocument {
  id: string;
  accountReference: string;
  companyName: string;
  invoiceAddress: SageContact;
  deliveryAddress: SageContact | null;
  /** The account's currency when known (the order's); Sage's default otherwise. */
  currency: string;
}

export type BuildCustomerResult = { ok: true; document: CustomerDocument; warnings: string[] } | { ok: false; hold: DocumentHold };

export function buildCustomer(account: NewAccountInput, options: { currency?: string } = {}): BuildCustomerResult {
  const { details } = account;
  const subject = `new account ${account.code}`;
  const rules = new FieldRules(subject);
  const invoice = {
    ...details.invoiceAddress,
    email: details.invoiceAddress.email || details.email,
    telephone: details.invoiceAddress.telephone || details.telephone,
  };
  const document: CustomerDocument = {
    id: rules.code('Id', customerDocumentId(account.ownerKey), SAGE_LIMITS.id, { required: true }),
    accountReference: rules.code('AccountReference', account.code, SAGE_LIMITS.accountReference, { required: true }),
    companyName: rules.text('companyName', details.companyName, SAGE_LIMITS.companyName),
    invoiceAddress: contactRules(rules, 'invoiceAddress', invoice),
    deliveryAddress: details.deliveryAddress
      ? contactRules(rules, 'deliveryAddress', details.deliveryAddress)
      : null,
    currency: rules.code('currency', (options.currency ?? '').toUpperCase(), SAGE_LIMITS.currency),
  };
  if (!document.companyName && !document.invoiceAddress.forename && !document.invoiceAddress.surname) {
    rules.fail('MISSING_FIELD', `${subject}: no company or person name; Sage needs one of them`, 'companyName', details.companyName);
  }
  if (rules.hold) return { ok: false, hold: rules.hold };
  return { ok: true, document, warnings: rules.warnings };
}

/**
 * Renders one `<Customer>` element in the order of Zynk's samples: Id, CompanyName,
 * AccountReference, addresses, Currency, TermsAgreed. Every Zynk sample of a new customer sets
 * TermsAgreed (written `1`, as they write it); Sage leaves an account without it flagged as
 * terms not agreed.
 */
export function renderCustomerDocument(document: CustomerDocument): string {
  const customer = element('Customer');
  customer.ele('Id').text(document.id);
  if (document.companyName) customer.ele('CompanyName').text(document.companyName);
  customer.ele('AccountReference').text(document.accountReference);
  writeContact(customer, 'CustomerInvoiceAddress', document.invoiceAddress);
  if (document.deliveryAddress) writeContact(customer, 'CustomerDeliveryAddress', document.deliveryAddress);
  if (document.currency) customer.ele('Currency').text(document.currency);
  customer.ele('TermsAgreed').text('1');
  return customer.end();
}

/**
 * The Customer element for a new account. Over-long free text is shortened (buildCustomer returns
 * the warnings); a code that cannot be written throws a ValidationError naming it.
 */
export function renderCustomer(account: NewAccountInput, options: { currency?: string } = {}): string {
  const built = buildCustomer(account, options);
  if (!built.ok) throw new ValidationError(built.hold.message, { ...built.hold });
  return renderCustomerDocument(built.document);
}
