import { formatMinorUnits } from '../../src/domain/money.ts';
import type { SageContact } from '../../src/sage/contact.ts';
import type { SageItem, SalesOrderDocument } from '../../src/sage/sales-order-document.ts';
import type { XmlContent, XmlElementWriter } from './createcb-writer.ts';

/**
 * The content of a `<SalesOrder>` for the candidate writers: the elements of
 * src/sage/sales-order-xml.ts `renderSalesOrder` (and its `writeItem`, and `writeContact` of
 * contact.ts) in the same order, written against `XmlElementWriter` instead of the product's
 * `XmlNode`. The product's renderers stay wired to its own writer; bench:xml and
 * test/xml-writer-candidates.test.ts compare this with `renderSalesOrder` byte for byte, so a
 * change there that is not made here fails them.
 */
export function salesOrderContent(document: SalesOrderDocument): XmlContent {
  return (order) => {
    order.add('Id', document.id);
    if (document.customerId) order.add('CustomerId', document.customerId);
    if (document.customerOrderNumber) order.add('CustomerOrderNumber', document.customerOrderNumber);
    document.notes.forEach((note, i) => order.add(`Notes${i + 1}`, note));
    order.add('Currency', document.currency);
    order.add('AccountReference', document.accountReference);
    order.add('VatInclusive', 'false');
    order.add('SalesOrderDate', document.salesOrderDate);
    writeContact(order, 'SalesOrderAddress', document.invoiceAddress);
    writeContact(order, 'SalesOrderDeliveryAddress', document.deliveryAddress);
    order.add('SalesOrderItems', (items) => {
      for (const item of document.items) items.add('Item', (node) => writeItem(node, item, true));
    });
    const carriage = document.carriage;
    if (carriage) order.add('Carriage', (node) => writeItem(node, carriage, false));
    order.add('TakenBy', document.takenBy);
    if (document.payment) {
      order.add('PaymentRef', document.payment.ref);
      order.add('PaymentAmount', formatMinorUnits(document.payment.amount));
      order.add('BankAccount', document.payment.bankAccount);
      order.add('PaymentType', document.payment.type);
    }
  };
}

function writeItem(node: XmlElementWriter, item: SageItem, withSku: boolean): void {
  if (withSku) node.add('Sku', item.sku);
  if (item.name) node.add('Name', item.name);
  node.add('QtyOrdered', String(item.quantity));
  node.add('UnitPrice', formatMinorUnits(item.unitPrice));
  if (item.discount !== 0) node.add('UnitDiscountAmount', formatMinorUnits(item.discount));
  node.add('TaxCode', String(item.taxCode));
  node.add('NominalCode', item.nominalCode);
}

const CONTACT_FIELDS: Array<[keyof SageContact, string]> = [
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

function writeContact(parent: XmlElementWriter, name: string, contact: SageContact): void {
  parent.add(name, (node) => {
    for (const [key, field] of CONTACT_FIELDS) if (contact[key]) node.add(field, contact[key]);
  });
}
