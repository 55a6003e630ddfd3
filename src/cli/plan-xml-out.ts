import type { Plan } from '../pipeline/plan-orders.ts';
import type { Settings } from '../settings/schema.ts';

export class XmlOutUnavailableError extends Error {
  constructor() {
    super('--xml-out is not available yet: the Sage XML renderers have not landed; run plan without --xml-out');
  }
}

/**
 * `plan --xml-out DIR`: writes DIR/customers.xml (one Company document with every new Customer,
 * from `plan.newAccounts`) and DIR/sales-orders.xml (one Company document with the SalesOrder of
 * every order in `plan.allocated`), each written to a temporary name and renamed.
 *
 * NOT YET WIRED: the Customer and SalesOrder renderers are being written on a parallel branch
 * (src/sage/). Until they land this fails loudly, and the command exits 2 without printing a plan.
 */
export async function writePlanXml(_dir: string, _plan: Plan, _settings: Settings): Promise<void> {
  throw new XmlOutUnavailableError();
}
