import { buildSalesOrder, type SalesOrderDocument } from '../../src/sage/sales-order-xml.ts';
import { generateOrder } from '../../src/sandbox/generate-order.ts';
import type { GeneratorConfig } from '../../src/sandbox/generator-config.ts';
import { DEFAULT_SETTINGS } from '../../src/settings/schema.ts';
import { parseOrder } from '../../src/woo/schemas.ts';

/** The sales order documents of `orders` seeded sandbox orders (seed 1), as the pipeline builds them. */
export function sandboxSalesOrders(orders: number): SalesOrderDocument[] {
  const config: GeneratorConfig = {
    seed: 1,
    orders,
    customers: Math.max(10, Math.round(orders / 3)),
    startSec: Date.parse('2026-09-01T08:00:00Z') / 1000,
    secondsPerOrder: 45,
    firstOrderId: 1001,
    pricesIncludeTax: 'mixed',
    origin: 'http://127.0.0.1',
    profileMetaKey: 'sage_account_code',
  };
  const documents: SalesOrderDocument[] = [];
  for (let i = 0; i < orders; i++) {
    const parsed = parseOrder(generateOrder(config, i));
    if (!parsed.ok) continue;
    const built = buildSalesOrder({ order: parsed.value, accountCode: 'WEB00001', customerId: null, settings: DEFAULT_SETTINGS });
    if (built.ok) documents.push(built.document);
  }
  if (documents.length === 0) throw new Error('no sales order could be built from the sandbox orders');
  return documents;
}
