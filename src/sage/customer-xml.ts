import { create } from 'xmlbuilder2';
import { ValidationError } from '../domain/errors.ts';
import { customerDocumentId, type NewAccount } from '../domain/new-account.ts';
import { contactRules, writeContact, type SageContact } from './contact.ts';
import { FieldRules, SAGE_LIMITS, type DocumentHold } from './field-rules.ts';

// The details type lives in the domain (allocation fills it); it is re-exported for the Sage side.
export type { AccountContact, NewAccount, NewAccountDetails } from '../domain/new-account.ts';
export { customerDocumentId, newAccountDetailsFromOrder } from '../domain/new-account.ts';

/** A Customer element after Sage's field rules. */
export interface CustomerDocument {
  /** "customer-42" / "guest-ann@example.com": Zynk tracks the customer by it. */
  id: string;
  accountReference: string;
  companyName: string;
  invoiceAddress: SageContact;
  deliveryAddress: SageContact | null;
  /** Email2..Email6 on the invoice address. */
  extraEmails: string[];
  currency: string;
}

export type BuildCustomerResult = { ok: true; document: CustomerDocument; warnings: string[] } | { ok: false; hold: DocumentHold };

export function buildCustomer(account: NewAccount): BuildCustomerResult {
  const { details } = account;
  const subject = `new account ${account.code}`;
  const rules = new FieldRules(subject);
  const [first = '', ...others] = details.emails;
  const document: CustomerDocument = {
    id: rules.code('Id', customerDocumentId(account.ownerKey || details.ownerKey), SAGE_LIMITS.id, { required: true }),
    accountReference: rules.code('AccountReference', account.code, SAGE_LIMITS.accountReference, { required: true }),
    companyName: rules.text('name', details.name, SAGE_LIMITS.companyName),
    invoiceAddress: contactRules(
      rules,
      'invoiceAddress',
      { ...details.invoiceAddress, email: first || details.invoiceAddress.email },
      SAGE_LIMITS.customerTelephone,
    ),
    deliveryAddress: details.deliveryAddress
      ? contactRules(rules, 'deliveryAddress', details.deliveryAddress, SAGE_LIMITS.customerTelephone)
      : null,
    extraEmails: others.slice(0, 5).map((email, i) => rules.code(`Email${i + 2}`, email, SAGE_LIMITS.email)),
    currency: rules.code('currency', details.currency, SAGE_LIMITS.currency),
  };
  if (!document.companyName && !document.invoiceAddress.forename && !document.invoiceAddress.surname) {
    rules.fail('MISSING_FIELD', `${subject}: no company or person name; Sage needs one of them`, 'name', details.name);
  }
  if (rules.hold) return { ok: false, hold: rules.hold };
  return { ok: true, document, warnings: rules.warnings };
}

/** Renders one `<Customer>` element in the order of the seed's Customer XML. */
export function renderCustomerDocument(document: CustomerDocument): string {
  const customer = create().ele('Customer');
  customer.ele('Id').txt(document.id);
  customer.ele('AccountReference').txt(document.accountReference);
  if (document.companyName) customer.ele('CompanyName').txt(document.companyName);
  writeContact(customer, 'CustomerInvoiceAddress', document.invoiceAddress, document.extraEmails);
  if (document.deliveryAddress) writeContact(customer, 'CustomerDeliveryAddress', document.deliveryAddress);
  if (document.currency) customer.ele('Currency').txt(document.currency);
  return customer.end({ headless: true, prettyPrint: true });
}

/**
 * The Customer element for a new account. Over-long free text is shortened (see buildCustomer for
 * the warnings); a code that cannot be written throws a ValidationError naming it.
 */
export function renderCustomer(account: NewAccount): string {
  const built = buildCustomer(account);
  if (!built.ok) throw new ValidationError(built.hold.message, { ...built.hold });
  return renderCustomerDocument(built.document);
}
