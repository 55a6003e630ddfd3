import { writeContact } from './contact.ts';
import type { CreditNoteDocument } from './credit-note-document.ts';
import { writeItem } from './sales-order-xml.ts';
import { element } from './xml-writer.ts';

export { buildCreditNote, type CreditNoteDocument, type BuildCreditNoteInput } from './credit-note-document.ts';

/**
 * Renders one `<Invoice>` of type ProductCredit (no XML declaration), in the order of Zynk's credit
 * note sample: Id, CustomerId, AccountReference, CustomerOrderNumber, Notes1-3, Currency,
 * InvoiceDate, addresses, InvoiceItems, Carriage, InvoiceType, TakenBy. Quantities and prices are
 * positive: the type makes it a credit. `wrapCompany({ invoices })` puts it in a file.
 */
export function renderCreditNote(document: CreditNoteDocument): string {
  const invoice = element('Invoice');
  invoice.ele('Id').text(document.id);
  if (document.customerId) invoice.ele('CustomerId').text(document.customerId);
  invoice.ele('AccountReference').text(document.accountReference);
  if (document.customerOrderNumber) invoice.ele('CustomerOrderNumber').text(document.customerOrderNumber);
  document.notes.forEach((note, i) => invoice.ele(`Notes${i + 1}`).text(note));
  invoice.ele('Currency').text(document.currency);
  invoice.ele('InvoiceDate').text(document.invoiceDate);
  writeContact(invoice, 'InvoiceAddress', document.invoiceAddress);
  writeContact(invoice, 'InvoiceDeliveryAddress', document.deliveryAddress);
  const items = invoice.ele('InvoiceItems');
  for (const item of document.items) writeItem(items.ele('Item'), item, true);
  if (document.carriage) writeItem(invoice.ele('Carriage'), document.carriage, false);
  invoice.ele('InvoiceType').text('ProductCredit');
  invoice.ele('TakenBy').text(document.takenBy);
  return invoice.end();
}
