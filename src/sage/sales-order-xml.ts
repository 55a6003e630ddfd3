import { formatMinorUnits } from '../domain/money.ts';
import { writeContact } from './contact.ts';
import type { SageItem, SalesOrderDocument } from './sales-order-document.ts';
import { element, type XmlNode } from './xml-writer.ts';

export {
  buildSalesOrder,
  type SalesOrderDocument,
  type SalesOrderSettings,
  type BuildSalesOrderInput,
  type BuildSalesOrderResult,
} from './sales-order-document.ts';

/**
 * Renders one `<SalesOrder>` element (no XML declaration) in the order of Zynk's Company schema:
 * Id, CustomerId, CustomerOrderNumber, Notes1-3, Currency, AccountReference, VatInclusive,
 * SalesOrderDate, addresses, SalesOrderItems, Carriage, TakenBy, payment. `wrapCompany` puts
 * elements in a file. VatInclusive is always false: unit prices are net, whatever Sage's own
 * default for the account or the importer is.
 */
export function renderSalesOrder(document: SalesOrderDocument): string {
  const order = element('SalesOrder');
  order.ele('Id').text(document.id);
  if (document.customerId) order.ele('CustomerId').text(document.customerId);
  if (document.customerOrderNumber) order.ele('CustomerOrderNumber').text(document.customerOrderNumber);
  document.notes.forEach((note, i) => order.ele(`Notes${i + 1}`).text(note));
  order.ele('Currency').text(document.currency);
  order.ele('AccountReference').text(document.accountReference);
  order.ele('VatInclusive').text('false');
  order.ele('SalesOrderDate').text(document.salesOrderDate);
  writeContact(order, 'SalesOrderAddress', document.invoiceAddress);
  writeContact(order, 'SalesOrderDeliveryAddress', document.deliveryAddress);
  const items = order.ele('SalesOrderItems');
  for (const item of document.items) writeItem(items.ele('Item'), item, true);
  // Carriage is a footer, not a product line: Zynk's table lists no Sku for it.
  if (document.carriage) writeItem(order.ele('Carriage'), document.carriage, false);
  order.ele('TakenBy').text(document.takenBy);
  if (document.payment) {
    order.ele('PaymentRef').text(document.payment.ref);
    order.ele('PaymentAmount').text(formatMinorUnits(document.payment.amount));
    order.ele('BankAccount').text(document.payment.bankAccount);
    order.ele('PaymentType').text(document.payment.type);
  }
  return order.end();
}

/**
 * One `Item` (or the `Carriage`): the same fields on sales orders and invoices / credit notes.
 * With `negativeAsFlag` (invoices and credit notes: Zynk wants their prices positive) a negative
 * price is written as its amount with `IsNegativeLine` true.
 */
export function writeItem(node: XmlNode, item: SageItem, withSku: boolean, options: { negativeAsFlag?: boolean } = {}): void {
  const negative = options.negativeAsFlag === true && item.unitPrice < 0;
  if (withSku) node.ele('Sku').text(item.sku);
  if (item.name) node.ele('Name').text(item.name);
  node.ele('QtyOrdered').text(String(item.quantity));
  node.ele('UnitPrice').text(formatMinorUnits(negative ? -item.unitPrice : item.unitPrice));
  if (item.discount !== 0) node.ele('UnitDiscountAmount').text(formatMinorUnits(item.discount));
  node.ele('TaxCode').text(String(item.taxCode));
  node.ele('NominalCode').text(item.nominalCode);
  if (negative) node.ele('IsNegativeLine').text('true');
}
