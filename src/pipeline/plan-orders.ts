import { allocate } from '../domain/allocation/allocate.ts';
import { withChoices, type ManualChoices } from '../domain/allocation/order-facts.ts';
import type { InMemoryMirror } from '../domain/allocation/in-memory-mirror.ts';
import { wooOrderFacts, type WooCustomerRow } from '../woo/domain-inputs.ts';
import type { AllocationContext, AllocationSettings, Decision, NewAccountDetails, Rule, TraceStep } from '../domain/allocation/types.ts';
import { unreadableOrderDecision } from '../domain/allocation/unreadable.ts';
import { parseOrder, type WooCustomer, type WooOrder } from '../woo/schemas.ts';

/** One line of `woo-sage plan` output (CONTRACT.md). */
export interface PlanEntry {
  orderId: number | null;
  rule: Rule;
  accountCode: string | null;
  reason: string;
  trace?: TraceStep[];
}

export interface PlannedAccount {
  code: string;
  ownerKey: string;
  details: NewAccountDetails;
}

export interface PlannedOrder {
  order: WooOrder;
  decision: Decision;
}

export interface Plan {
  entries: PlanEntry[];
  /** Accounts the run would create, in the order first needed. */
  newAccounts: PlannedAccount[];
  /** Orders that got an account, with the decision, in input order. */
  allocated: PlannedOrder[];
}

export interface PlanInput {
  orders: unknown[];
  /** WooCommerce customers (REST objects or `woo_customers` rows) by id; undefined when none were given. */
  customers: Map<number, WooCustomer | WooCustomerRow> | undefined;
  /** Filled from ACCOUNTS.xml; new accounts are added to it as they are planned. */
  mirror: InMemoryMirror;
  settings: AllocationSettings;
  /** The people's choices (assigned accounts by order id, remembered links by billing email), as a sync reads them. */
  manual?: ManualChoices;
  /** Whether Sage's own accounts are known; offline plans read them from ACCOUNTS.xml, so they are. */
  context?: AllocationContext;
}

/**
 * The same decisions `sync` would make, offline: the same facts and rules against an in-memory
 * mirror. A new account planned for one order is part of the mirror for the orders after it, so
 * a buyer's second order gets the same code, as it would in the database.
 */
export function planOrders(input: PlanInput): Plan {
  const plan: Plan = { entries: [], newAccounts: [], allocated: [] };
  input.orders.forEach((raw, index) => {
    const parsed = parseOrder(raw);
    if (!parsed.ok) {
      const id = orderIdOf(raw);
      const decision = unreadableOrderDecision(id, `${id === null ? `element ${index} of the orders file: ` : ''}${parsed.reason}`);
      plan.entries.push(entryOf(id, decision));
      return;
    }
    const order = parsed.value;
    const customer = order.customer_id > 0 && input.customers ? (input.customers.get(order.customer_id) ?? null) : undefined;
    const base = wooOrderFacts(order, customer, input.settings);
    const facts = input.manual ? withChoices(base, input.manual) : base;
    const decision = allocate(facts, input.settings, input.mirror, input.context);
    if (decision.rule === 'NEW' && decision.accountCode && facts.ownerKey && !input.mirror.byOwner(facts.ownerKey)) {
      input.mirror.put({
        code: decision.accountCode,
        name: facts.newAccount.companyName,
        status: 'pending',
        ownerKey: facts.ownerKey,
        emails: facts.billingEmail ? [facts.billingEmail] : [],
      });
      plan.newAccounts.push({ code: decision.accountCode, ownerKey: facts.ownerKey, details: facts.newAccount });
    }
    if (decision.accountCode) plan.allocated.push({ order, decision });
    plan.entries.push(entryOf(order.id, decision));
  });
  return plan;
}

function entryOf(orderId: number | null, decision: Decision): PlanEntry {
  return { orderId, rule: decision.rule, accountCode: decision.accountCode, reason: decision.reason, trace: decision.trace };
}

function orderIdOf(raw: unknown): number | null {
  const id = raw && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
  const value = typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id;
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
}
