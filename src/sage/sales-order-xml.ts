import { create } from 'xmlbuilder2';
import { formatMinorUnits } from '../domain/money.ts';
import { writeContact } from './contact.ts';
import type { SageItem, SalesOrderDocument } from './sales-order-document.ts';
import { plainText } from './xml-text.ts';

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
  order.ele('Id').txt(plainText(document.id));
  if (document.customerId) order.ele('CustomerId').txt(plainText(document.customerId));
  if (document.customerOrderNumber) order.ele('CustomerOrderNumber').txt(plainText(document.customerOrderNumber));
  document.notes.forEach((note, i) => order.ele(`Notes${i + 1}`).txt(plainText(note)));
  order.ele('Currency').txt(plainText(document.currency));
  order.ele('AccountReference').txt(plainText(document.accountReference));
  order.ele('SalesOrderDate').txt(plainText(document.salesOrderDate));
  writeContact(order, 'SalesOrderAddress', document.invoiceAddress);
  writeContact(order, 'SalesOrderDeliveryAddress', document.deliveryAddress);
  const items = order.ele('SalesOrderItems');
  for (const item of document.items) writeItem(items.ele('Item'), item, true);
  // Carriage is a footer, not a product line: Zynk's table lists no Sku for it.
  if (document.carriage) writeItem(order.ele('Carriage'), document.carriage, false);
  order.ele('TakenBy').txt(plainText(document.takenBy));
  if (document.payment) {
    order.ele('PaymentRef').txt(plainText(document.payment.ref));
    order.ele('PaymentAmount').txt(plainText(formatMinorUnits(document.payment.amount)));
    order.ele('BankAccount').txt(plainText(document.payment.bankAccount));
    order.ele('PaymentType').txt(plainText(document.payment.type));
  }
  return order.end({ headless: true, prettyPrint: true });
}

/** One `Item` (or the `Carriage`): the same fields on sales orders and invoices / credit notes. */
export function writeItem(node: XMLBuilder, item: SageItem, withSku: boolean): void {
  if (withSku) node.ele('Sku').txt(plainText(item.sku));
  if (item.name) node.ele('Name').txt(plainText(item.name));
  node.ele('QtyOrdered').txt(plainText(String(item.quantity)));
  node.ele('UnitPrice').txt(plainText(formatMinorUnits(item.unitPrice)));
  if (item.discount !== 0) node.ele('UnitDiscountAmount').txt(plainText(formatMinorUnits(item.discount)));
  node.ele('TaxCode').txt(plainText(String(item.taxCode)));
  node.ele('NominalCode').txt(plainText(item.nominalCode));
}
