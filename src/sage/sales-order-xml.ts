import { create } from 'xmlbuilder2';
import { formatMinorUnits } from '../domain/money.ts';
import { writeContact } from './contact.ts';
import type { SageItem, SalesOrderDocument } from './sales-order-document.ts';

type XMLBuilder = ReturnType<typeof create>;

export {
  buildSalesOrder,
  type SalesOrderDocument,
  type SalesOrderSettings,
  type BuildSalesOrderInput,
  type BuildSalesOrderResult,
} from './sales-order-document.ts';

/**
 * Renders one `<SalesOrder>` element (no XML declaration) in the order of Zynk's Company schema:
 * Id, CustomerId, CustomerOrderNumber, Notes1-3, Currency, AccountReference, SalesOrderDate,
 * addresses, SalesOrderItems, Carriage, TakenBy, payment. `wrapCompany` puts elements in a file.
 */
export function renderSalesOrder(document: SalesOrderDocument): string {
  const order = create().ele('SalesOrder');
  order.ele('Id').txt(document.id);
  if (document.customerId) order.ele('CustomerId').txt(document.customerId);
  if (document.customerOrderNumber) order.ele('CustomerOrderNumber').txt(document.customerOrderNumber);
  document.notes.forEach((note, i) => order.ele(`Notes${i + 1}`).txt(note));
  order.ele('Currency').txt(document.currency);
  order.ele('AccountReference').txt(document.accountReference);
  order.ele('SalesOrderDate').txt(document.salesOrderDate);
  writeContact(order, 'SalesOrderAddress', document.invoiceAddress);
  writeContact(order, 'SalesOrderDeliveryAddress', document.deliveryAddress);
  const items = order.ele('SalesOrderItems');
  for (const item of document.items) writeItem(items.ele('Item'), item, true);
  // Carriage is a footer, not a product line: Zynk's table lists no Sku for it.
  if (document.carriage) writeItem(order.ele('Carriage'), document.carriage, false);
  order.ele('TakenBy').txt(document.takenBy);
  if (document.payment) {
    order.ele('PaymentRef').txt(document.payment.ref);
    order.ele('PaymentAmount').txt(formatMinorUnits(document.payment.amount));
    order.ele('BankAccount').txt(document.payment.bankAccount);
    order.ele('PaymentType').txt(document.payment.type);
  }
  return order.end({ headless: true, prettyPrint: true });
}

function writeItem(node: XMLBuilder, item: SageItem, withSku: boolean): void {
  if (withSku) node.ele('Sku').txt(item.sku);
  if (item.name) node.ele('Name').txt(item.name);
  node.ele('QtyOrdered').txt(String(item.quantity));
  node.ele('UnitPrice').txt(formatMinorUnits(item.unitPrice));
  if (item.discount !== 0) node.ele('UnitDiscountAmount').txt(formatMinorUnits(item.discount));
  node.ele('TaxCode').txt(String(item.taxCode));
  node.ele('NominalCode').txt(item.nominalCode);
}
