import type { Command } from 'commander';
import { planOrders, type PlanEntry } from '../../pipeline/plan-orders.ts';
import type { CliIo } from '../context.ts';
import { CliExit, EXIT_USAGE } from '../exit-codes.ts';
import { PlanInputError, readAccountsFile, readCustomersFile, readOrdersFile, readSettingsFile } from '../plan-inputs.ts';
import { writePlanXml } from '../plan-xml-out.ts';

interface PlanOptions {
  orders?: string;
  customers?: string;
  accounts?: string;
  settings?: string;
  xmlOut?: string;
  json?: boolean;
  trace?: boolean;
}

export function registerPlan(program: Command, io: CliIo): void {
  program
    .command('plan')
    .description('dry run, no database: which Sage account each order would get, and why')
    .option('--orders <file>', 'ORDERS.json: a WooCommerce REST v3 order, or an array of them (required)')
    .option('--customers <file>', 'CUSTOMERS.json: WooCommerce REST v3 customers whose meta carries profile codes')
    .option('--accounts <file>', 'ACCOUNTS.xml: a Sage customer export (Customer XML)')
    .option('--settings <file>', 'SETTINGS.json: a partial settings document; omitted keys take their defaults')
    .option('--xml-out <dir>', 'also write the Customer and SalesOrder XML it would queue into DIR')
    .option('--json', 'print a JSON array, one element per order, in input order')
    .option('--trace', "with --json, include each decision's trace")
    .action(async (options: PlanOptions) => {
      if (!options.orders) throw new CliExit(EXIT_USAGE, 'plan needs --orders ORDERS.json');
      try {
        const settings = readSettingsFile(options.settings);
        const orders = readOrdersFile(options.orders);
        const customers = options.customers ? readCustomersFile(options.customers, (line) => io.err(line)) : undefined;
        const mirror = await readAccountsFile(options.accounts);
        const plan = planOrders({ orders, customers, mirror, settings });
        if (options.xmlOut) {
          const written = await writePlanXml(options.xmlOut, plan, settings);
          // stdout stays the plan (CONTRACT); what the documents would need from a person goes to stderr.
          for (const line of [...written.held.map((h) => `not written: ${h}`), ...written.warnings]) io.err(line);
        }
        if (options.json)
          io.out(
            JSON.stringify(
              plan.entries.map((e) => jsonEntry(e, options.trace === true)),
              null,
              2,
            ),
          );
        else io.out(plan.entries.map(textLine).join('\n') || 'no orders');
      } catch (err) {
        if (err instanceof PlanInputError) throw new CliExit(EXIT_USAGE, err.message);
        throw err;
      }
    });
}

function jsonEntry(entry: PlanEntry, withTrace: boolean): PlanEntry {
  const { orderId, rule, accountCode, reason } = entry;
  return withTrace ? { orderId, rule, accountCode, reason, trace: entry.trace } : { orderId, rule, accountCode, reason };
}

function textLine(entry: PlanEntry): string {
  return `order ${entry.orderId ?? '?'}: ${entry.rule}${entry.accountCode ? ` ${entry.accountCode}` : ''} — ${entry.reason}`;
}
