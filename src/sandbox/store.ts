import { systemClock, type Clock } from '../domain/clock.ts';
import { customerFacts, generateCustomer } from './generate-customer.ts';
import { generateOrder } from './generate-order.ts';
import { buildRefund, generatedRefunds, type RefundSpec } from './generate-refunds.ts';
import { type GeneratorConfig, orderIdOf, orderIndexOf } from './generator-config.ts';
import { OrderTimeline, tieKey, type SecondsWindow } from './order-timeline.ts';
import { presentWithPricesIncludeTax } from './prices-include-tax.ts';
import { gmtText, londonText } from './wc-dates.ts';
import { microsToPence, toMicros } from './wc-totals.ts';

type Json = Record<string, unknown>;

/** Core statuses plus one a plugin registered (custom statuses are common in real shops). */
export const ORDER_STATUSES = [
  'pending',
  'processing',
  'on-hold',
  'completed',
  'cancelled',
  'refunded',
  'failed',
  'awaiting-shipment',
  'checkout-draft',
  'trash',
] as const;

export interface OrdersQuery {
  window: SecondsWindow;
  /** Created-date window (`after` / `before`). */
  created?: SecondsWindow;
  statuses?: string[];
  include?: number[];
  exclude?: number[];
  customer?: number;
  orderby: 'date' | 'id' | 'include' | 'title' | 'slug' | 'modified';
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
  tieSalt: number;
}

export interface CustomersQuery {
  include?: number[];
  exclude?: number[];
  role: string;
  email?: string;
  orderby: 'id' | 'include' | 'name' | 'registered_date';
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** Statuses `status=any` covers: everything but drafts and the bin. */
const ANY_STATUS = new Set(ORDER_STATUSES.filter((s) => s !== 'checkout-draft' && s !== 'trash'));

function secondsOfGmt(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/**
 * The sandbox shop's data: generated orders and customers on demand, plus what changed while it
 * ran (orders modified, replaced with raw payloads, created or deleted; customers updated).
 */
export class SandboxStore {
  readonly timeline: OrderTimeline;
  private readonly orderOverrides = new Map<number, Json | undefined>();
  /** Edited orders in a status `any` leaves out (the bin, drafts): only edits can put one there. */
  private readonly hiddenByStatus = new Set<number>();
  private readonly customerOverrides = new Map<number, Json>();
  /** Refunds made while running, newest first, per order (generated orders derive theirs). */
  private readonly refundOverrides = new Map<number, Json[]>();
  private nextOrderId: number;
  private nextRefundId = 9_000_001;
  /** The store-wide "prices entered with tax" setting once switched while running. */
  private pricesIncludeTax: boolean | undefined;

  constructor(
    readonly config: GeneratorConfig,
    private readonly clock: Clock = systemClock,
  ) {
    this.timeline = new OrderTimeline(config);
    this.nextOrderId = orderIdOf(config, config.orders);
  }

  now(): Date {
    return this.clock.now();
  }

  /** An order as the REST API returns it now, or undefined if there is none with this id. */
  getOrder(id: number): unknown {
    const order = this.storedOrder(id);
    if (order && typeof order === 'object' && this.pricesIncludeTax !== undefined)
      presentWithPricesIncludeTax(order, this.pricesIncludeTax);
    return order;
  }

  private storedOrder(id: number): Json | undefined {
    if (this.orderOverrides.has(id)) return structuredClone(this.orderOverrides.get(id));
    const index = orderIndexOf(this.config, id);
    return index === undefined ? undefined : generateOrder(this.config, index);
  }

  /**
   * Switches the store's "prices entered with tax" setting the way a shop manager does: no order is
   * saved (modification times stay, so a poll by modification time does not list them), but every
   * order read afterwards shows the new setting in fields that are not amounts.
   */
  switchPricesIncludeTax(pricesIncludeTax: boolean): void {
    this.pricesIncludeTax = pricesIncludeTax;
  }

  /** Every current order id, ascending (tests compare the inbox with this). */
  orderIds(): number[] {
    return this.timeline.ids({}).sort((a, b) => a - b);
  }

  /** True once an order was edited, replaced, created or deleted while running. */
  isEdited(id: number): boolean {
    return this.orderOverrides.has(id);
  }

  orderCount(): number {
    return this.timeline.count({});
  }

  /**
   * Changes an order the way an edit in wp-admin does: the mutation runs on the current payload
   * and the modification time becomes now (so it moves to the end of a modified-ascending listing).
   */
  modifyOrder(id: number, mutate: (order: Json) => void): Json {
    const current = this.getOrder(id);
    if (!current || typeof current !== 'object') throw new Error(`sandbox: no order ${id}`);
    const order = current as Json;
    mutate(order);
    const sec = Math.floor(this.clock.now().getTime() / 1000);
    order.date_modified = londonText(sec);
    order.date_modified_gmt = gmtText(sec);
    this.setOverride(id, order);
    this.timeline.setOverride(id, sec);
    return structuredClone(order);
  }

  /**
   * Replaces an order's payload with anything (a broken one, for tests). It sorts by its own
   * `date_modified_gmt` when that is readable, else where it was.
   */
  setOrderRaw(id: number, raw: unknown): void {
    const sec =
      secondsOfGmt((raw as Json | null)?.date_modified_gmt) ?? this.timeline.secondOf(id) ?? Math.floor(this.clock.now().getTime() / 1000);
    this.setOverride(id, structuredClone(raw) as Json);
    this.timeline.setOverride(id, sec);
  }

  /** A new order, modified now; its content is generated like the others. */
  createOrder(mutate?: (order: Json) => void): number {
    const id = this.nextOrderId;
    this.nextOrderId += 2;
    const template = generateOrder(this.config, (id - this.config.firstOrderId) / 2);
    template.id = id;
    template.number = String(id);
    const sec = Math.floor(this.clock.now().getTime() / 1000);
    template.date_created = londonText(sec);
    template.date_created_gmt = gmtText(sec);
    mutate?.(template);
    template.date_modified = londonText(sec);
    template.date_modified_gmt = gmtText(sec);
    this.setOverride(id, template);
    this.timeline.setOverride(id, sec);
    return id;
  }

  /** `GET orders/{id}/refunds`: the order's refunds with their lines, newest first; undefined when there is no such order. */
  getRefunds(orderId: number): Json[] | undefined {
    const order = this.getOrder(orderId);
    if (!order || typeof order !== 'object') return undefined;
    const made = this.refundOverrides.get(orderId);
    if (made) return structuredClone(made);
    return generatedRefunds(order as Json, this.config.origin);
  }

  /**
   * Refunds part or all of an order the way wp-admin does: a refund with its own lines, listed on
   * the order (newest first) with its negative total; fully refunded, the order becomes `refunded`.
   * The order's modification time becomes now. Returns the refund.
   */
  refundOrder(orderId: number, spec: RefundSpec): Json {
    const earlier = this.getRefunds(orderId);
    if (!earlier) throw new Error(`sandbox: no order ${orderId}`);
    const id = this.nextRefundId;
    this.nextRefundId += 2;
    const refund = buildRefund(this.getOrder(orderId) as Json, spec, id, Math.floor(this.clock.now().getTime() / 1000), this.config.origin);
    this.refundOverrides.set(orderId, [refund, ...earlier]);
    this.modifyOrder(orderId, (order) => {
      const summaries = Array.isArray(order.refunds) ? (order.refunds as Json[]) : [];
      order.refunds = [{ id, reason: refund.reason, total: `-${String(refund.amount)}` }, ...summaries];
      const pence = (v: unknown) => microsToPence(toMicros(String(v)));
      const refunded = [refund, ...earlier].reduce((sum, r) => sum + pence(r.amount), 0);
      if (refunded >= pence(order.total)) order.status = 'refunded';
    });
    return structuredClone(refund);
  }

  /** Moves an order to the bin: listings no longer show it. */
  private setOverride(id: number, order: Json | undefined): void {
    this.orderOverrides.set(id, order);
    const status = order && typeof order === 'object' ? String(order.status) : undefined;
    if (status !== undefined && !(ANY_STATUS as ReadonlySet<string>).has(status) && (ORDER_STATUSES as readonly string[]).includes(status))
      this.hiddenByStatus.add(id);
    else this.hiddenByStatus.delete(id);
  }

  deleteOrder(id: number): void {
    this.setOverride(id, undefined);
    this.timeline.setOverride(id, undefined);
  }

  listOrders(q: OrdersQuery): Page<unknown> {
    const plain =
      q.orderby === 'modified' &&
      !q.created &&
      !q.include &&
      !q.exclude &&
      q.customer === undefined &&
      (!q.statuses || q.statuses.includes('any')) &&
      // The fast path lists the timeline as it is; an order moved to the bin must be left out.
      this.hiddenByStatus.size === 0;
    if (plain) {
      const total = this.timeline.count(q.window);
      if (q.order === 'asc') {
        const ids = this.timeline.pageByModified(q.window, q.offset, q.limit, q.tieSalt);
        return { items: ids.map((id) => this.getOrder(id)), total };
      }
      const end = total - q.offset;
      const start = Math.max(0, end - q.limit);
      const ids = end > 0 ? this.timeline.pageByModified(q.window, start, end - start, q.tieSalt).reverse() : [];
      return { items: ids.map((id) => this.getOrder(id)), total };
    }
    // Filtered listings materialise the candidates: fine for test-sized shops.
    const candidates = (q.include ?? this.timeline.ids(q.window)).filter((id) => this.timeline.secondOf(id) !== undefined);
    const statuses: Set<string> = q.statuses && !q.statuses.includes('any') ? new Set(q.statuses) : ANY_STATUS;
    const rows = candidates
      .filter((id) => !q.exclude?.includes(id))
      .map((id) => ({ id, order: this.getOrder(id) as Json, sec: this.timeline.secondOf(id)! }))
      .filter(({ order, sec }) => {
        if (!order || typeof order !== 'object') return !q.statuses;
        if (
          q.include &&
          !((q.window.after === undefined || sec > q.window.after) && (q.window.before === undefined || sec < q.window.before))
        )
          return false;
        if (!statuses.has(String(order.status))) return false;
        if (q.customer !== undefined && order.customer_id !== q.customer) return false;
        const created = secondsOfGmt(order.date_created_gmt);
        if (q.created?.after !== undefined && !(created !== undefined && created > q.created.after)) return false;
        if (q.created?.before !== undefined && !(created !== undefined && created < q.created.before)) return false;
        return true;
      });
    const key = (row: (typeof rows)[number]): number => {
      switch (q.orderby) {
        case 'modified':
          return row.sec;
        case 'date':
          return secondsOfGmt(row.order?.date_created_gmt) ?? 0;
        case 'include':
          return q.include?.indexOf(row.id) ?? 0;
        default:
          return row.id;
      }
    };
    rows.sort((a, b) => key(a) - key(b) || tieKey(a.id, q.tieSalt) - tieKey(b.id, q.tieSalt) || a.id - b.id);
    if (q.order === 'desc' && q.orderby !== 'include') rows.reverse();
    return { items: rows.slice(q.offset, q.offset + q.limit).map((r) => r.order), total: rows.length };
  }

  getCustomer(id: number): Json | undefined {
    if (this.customerOverrides.has(id)) return structuredClone(this.customerOverrides.get(id));
    return Number.isInteger(id) && id >= 1 && id <= this.config.customers ? generateCustomer(this.config, id) : undefined;
  }

  /** What `PUT customers/{id}` does with `meta_data`: a key that exists is updated in place, others are added. */
  updateCustomer(id: number, patch: Json): Json | undefined {
    const customer = this.getCustomer(id);
    if (!customer) return undefined;
    const { meta_data: metaPatch, id: _ignored, ...fields } = patch;
    Object.assign(customer, fields);
    if (Array.isArray(metaPatch)) {
      const meta = (customer.meta_data as Json[]) ?? [];
      for (const entry of metaPatch as Json[]) {
        const existing = meta.find((m) => (entry.id !== undefined && m.id === entry.id) || m.key === entry.key);
        if (existing) existing.value = entry.value;
        else meta.push({ id: id * 10 + 5 + meta.length, key: entry.key, value: entry.value });
      }
      customer.meta_data = meta;
    }
    const sec = Math.floor(this.clock.now().getTime() / 1000);
    customer.date_modified = londonText(sec);
    customer.date_modified_gmt = gmtText(sec);
    this.customerOverrides.set(id, customer);
    return structuredClone(customer);
  }

  listCustomers(q: CustomersQuery): Page<Json> {
    const ids = q.include ?? Array.from({ length: this.config.customers }, (_, k) => k + 1);
    const rows = ids
      .filter((id) => !q.exclude?.includes(id))
      .map((id) => this.getCustomer(id))
      .filter((c): c is Json => c !== undefined)
      .filter((c) => q.role === 'all' || c.role === q.role)
      .filter((c) => q.email === undefined || String(c.email).toLowerCase() === q.email.toLowerCase());
    const name = (c: Json) => `${String(c.last_name)} ${String(c.first_name)}`;
    rows.sort((a, b) => {
      switch (q.orderby) {
        case 'include':
          return (q.include?.indexOf(Number(a.id)) ?? 0) - (q.include?.indexOf(Number(b.id)) ?? 0);
        case 'name':
          return name(a).localeCompare(name(b)) || Number(a.id) - Number(b.id);
        case 'registered_date':
          return String(a.date_created_gmt).localeCompare(String(b.date_created_gmt)) || Number(a.id) - Number(b.id);
        default:
          return Number(a.id) - Number(b.id);
      }
    });
    if (q.order === 'desc' && q.orderby !== 'include') rows.reverse();
    return { items: rows.slice(q.offset, q.offset + q.limit), total: rows.length };
  }

  /** The Woosage-style profile facts of a customer, for tests and the Sage accounts generator. */
  customerFacts(id: number) {
    return customerFacts(this.config, id);
  }
}
