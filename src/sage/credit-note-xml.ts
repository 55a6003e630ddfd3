import { create } from 'xmlbuilder2';
import { writeContact } from './contact.ts';
import type { CreditNoteDocument } from './credit-note-document.ts';
import { writeItem } from './sales-order-xml.ts';
import { plainText } from './xml-text.ts';

export { buildCreditNote, type CreditNoteDocument, type BuildCreditNoteInput } from './credit-note-document.ts';

/**
 * Renders one `<Invoice>` of type ProductCredit (no XML declaration), in the order of Zynk's credit
 * note sample: Id, CustomerId, AccountReference, CustomerOrderNumber, Notes1-3, Currency,
 * InvoiceDate, addresses, InvoiceItems, Carriage, InvoiceType, TakenBy. Quantities and prices are
 * positive: the type makes it a credit. `wrapCompany({ invoices })` puts it in a file.
 */
export function renderCreditNote(document: CreditNoteDocument): string {
  const invoice = create().ele('Invoice');
  invoice.ele('Id').txt(plainText(document.id));
  if (document.customerId) invoice.ele('CustomerId').txt(plainText(document.customerId));
  invoice.ele('AccountReference').txt(plainText(document.accountReference));
  if (document.customerOrderNumber) invoice.ele('CustomerOrderNumber').txt(plainText(document.customerOrderNumber));
  document.notes.forEach((note, i) => invoice.ele(`Notes${i + 1}`).txt(plainText(note)));
  invoice.ele('Currency').txt(plainText(document.currency));
  invoice.ele('InvoiceDate').txt(plainText(document.invoiceDate));
  writeContact(invoice, 'InvoiceAddress', document.invoiceAddress);
  writeContact(invoice, 'InvoiceDeliveryAddress', document.deliveryAddress);
  const items = invoice.ele('InvoiceItems');
  for (const item of document.items) writeItem(items.ele('Item'), item, true);
  if (document.carriage) writeItem(invoice.ele('Carriage'), document.carriage, false);
  invoice.ele('InvoiceType').txt(plainText('ProductCredit'));
  invoice.ele('TakenBy').txt(plainText(document.takenBy));
  return invoice.end({ headless: true, prettyPrint: true });
}
