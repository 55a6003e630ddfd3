import path from 'node:path';
import { writeFileDurably } from '../pipeline/outbox-files.ts';
import type { Plan } from '../pipeline/plan-orders.ts';
import { wrapCompany } from '../sage/company-xml.ts';
import { buildCustomer, customerDocumentId, renderCustomerDocument } from '../sage/customer-xml.ts';
import { buildSalesOrder, renderSalesOrder } from '../sage/sales-order-xml.ts';
import type { Settings } from '../settings/schema.ts';

export interface PlanXmlResult {
  customers: number;
  salesOrders: number;
  /** Documents that would be held instead of queued, each with the reason (order, field, value). */
  held: string[];
  warnings: string[];
}

/**
 * `plan --xml-out DIR`: writes DIR/customers.xml (one Company document with every new Customer,
 * from `plan.newAccounts`) and DIR/sales-orders.xml (one Company document with the SalesOrder of
 * every order in `plan.allocated`), each written to a temporary name and renamed. An order whose
 * document would be held (an unmapped tax rate, totals that cannot be reproduced, a code too long)
 * is left out and reported.
 */
export async function writePlanXml(dir: string, plan: Plan, settings: Settings): Promise<PlanXmlResult> {
  const result: PlanXmlResult = { customers: 0, salesOrders: 0, held: [], warnings: [] };
  const newByCode = new Map(plan.newAccounts.map((a) => [a.code, a]));
  const customers: string[] = [];
  for (const account of plan.newAccounts) {
    const currency = plan.allocated.find((p) => p.decision.accountCode === account.code)?.order.currency;
    const built = buildCustomer(account, { currency });
    if (!built.ok) {
      result.held.push(built.hold.message);
      continue;
    }
    customers.push(renderCustomerDocument(built.document));
    result.warnings.push(...built.warnings);
  }
  const salesOrders: string[] = [];
  for (const { order, decision } of plan.allocated) {
    const account = newByCode.get(decision.accountCode!);
    const built = buildSalesOrder({
      order,
      accountCode: decision.accountCode!,
      customerId: account ? customerDocumentId(account.ownerKey) : null,
      settings,
    });
    if (!built.ok) {
      result.held.push(built.hold.message);
      continue;
    }
    salesOrders.push(renderSalesOrder(built.document));
    result.warnings.push(...built.warnings);
  }
  const target = path.resolve(dir);
  await writeFileDurably(target, 'customers.xml', wrapCompany({ customers }));
  await writeFileDurably(target, 'sales-orders.xml', wrapCompany({ salesOrders }));
  result.customers = customers.length;
  result.salesOrders = salesOrders.length;
  return result;
}
