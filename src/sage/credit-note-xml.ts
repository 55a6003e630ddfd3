import { writeContact } from './contact.ts';
import type { CreditNoteDocument } from './credit-note-document.ts';
import { writeItem } from './sales-order-xml.ts';
import { element } from './xml-writer.ts';

export { buildCreditNote, type CreditNoteDocument, type BuildCreditNoteInput } from './credit-note-document.ts';

/**
 * Renders one `<Invoice>` of type ProductCredit (no XML declaration), in the element order of
 * Zynk's Invoice samples: Id, CustomerId, CustomerOrderNumber, Notes1-3, Currency,
 * AccountReference, InvoiceDate, addresses, InvoiceItems, Carriage, InvoiceType, TakenBy.
 * Quantities and prices are positive (the type makes it a credit); a negative line is written as
 * its amount with IsNegativeLine, as Zynk asks. `wrapCompany({ invoices })` puts it in a file.
 */
export function renderCreditNote(document: CreditNoteDocument): string {
  const invoice = element('Invoice');
  invoice.ele('Id').text(document.id);
  if (document.customerId) invoice.ele('CustomerId').text(document.customerId);
  if (document.customerOrderNumber) invoice.ele('CustomerOrderNumber').text(document.customerOrderNumber);
  document.notes.forEach((note, i) => invoice.ele(`Notes${i + 1}`).text(note));
  invoice.ele('Currency').text(document.currency);
  invoice.ele('AccountReference').text(document.accountReference);
  invoice.ele('InvoiceDate').text(document.invoiceDate);
  writeContact(invoice, 'InvoiceAddress', document.invoiceAddress);
  writeContact(invoice, 'InvoiceDeliveryAddress', document.deliveryAddress);
  const items = invoice.ele('InvoiceItems');
  for (const item of document.items) writeItem(items.ele('Item'), item, true, { negativeAsFlag: true });
  if (document.carriage) writeItem(invoice.ele('Carriage'), document.carriage, false, { negativeAsFlag: true });
  invoice.ele('InvoiceType').text('ProductCredit');
  invoice.ele('TakenBy').text(document.takenBy);
  return invoice.end();
}
