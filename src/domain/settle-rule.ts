/**
 * The settle rule (Sonas waits "to allow time for corrections"): an order is exported only when
 * its WooCommerce status is one of the import statuses and it has not changed for settleMinutes,
 * measured from its WooCommerce modification time.
 */
export interface SettleSettings {
  importStatuses: readonly string[];
  settleMinutes: number;
}

export interface SettlePlan {
  /** When the order becomes eligible (UTC ISO), or null when its status is never exported. */
  settleAt: string | null;
  /** Why it waits, for the order's history. */
  reason: string;
}

export function settlePlan(status: string, dateModifiedIso: string, settings: SettleSettings, now: Date): SettlePlan {
  if (!settings.importStatuses.includes(status)) {
    return { settleAt: null, reason: `status "${status}" is not exported (import statuses: ${settings.importStatuses.join(', ')})` };
  }
  const settleAt = new Date(Date.parse(dateModifiedIso) + settings.settleMinutes * 60_000).toISOString();
  return {
    settleAt,
    reason:
      settleAt <= now.toISOString()
        ? `status "${status}", settled (unchanged since ${dateModifiedIso})`
        : `status "${status}", settling until ${settleAt}`,
  };
}

/** The latest modification time an order may have and be settled now. */
export function settleCutoff(settings: SettleSettings, now: Date): string {
  return new Date(now.getTime() - settings.settleMinutes * 60_000).toISOString();
}

/** What decides whether a waiting order is processed by the next sync. */
export interface WaitingFacts {
  status: string;
  /** WooCommerce date_modified_gmt (UTC ISO). */
  dateModified: string;
  customerId: number;
  /** A logged-in buyer's profile is not stored yet (the next sync fetches it first). */
  customerPending: boolean;
  /** It needs a new Sage account and Sage's own accounts are still not known. */
  awaitingSageAccounts?: boolean;
}

/** Why an order that needs a new account waits, in the words support and owners read everywhere. */
export const AWAITING_SAGE_ACCOUNTS =
  'import your Sage customers first: it needs a new Sage account, and no new code is made before a Sage customer export has been imported (woo-sage accounts import FILE.xml, or accounts import --empty if Sage has no customers yet)';

/** Why a waiting order is not processed now, or null when the next sync processes it. */
export function whyNotDue(order: WaitingFacts, settings: SettleSettings, now: Date): string | null {
  if (!settings.importStatuses.includes(order.status))
    return `status "${order.status}" is not exported (import statuses: ${settings.importStatuses.join(', ')})`;
  if (order.dateModified > settleCutoff(settings, now)) {
    return `settling until ${new Date(Date.parse(order.dateModified) + settings.settleMinutes * 60_000).toISOString()}`;
  }
  if (order.customerPending) return `the profile of customer ${order.customerId} is fetched by the next sync first`;
  if (order.awaitingSageAccounts) return AWAITING_SAGE_ACCOUNTS;
  return null;
}

/**
 * What support reads for an order that has not moved on: why it waits, or that the next sync takes
 * it. Null for an order that is not waiting (a held order says why in its last error).
 */
export function waitingReason(order: WaitingFacts & { state: string }, settings: SettleSettings, now: Date): string | null {
  if (order.state !== 'waiting' && order.state !== 'received') return null;
  return whyNotDue(order, settings, now) ?? 'due: the next sync processes it';
}

/**
 * A waiting order whose WooCommerce status is not exported (cancelled, refunded, on-hold…) goes
 * to Sage only if its status changes: "waiting" would read as "on its way" to support.
 */
export function statusNotExported(order: { state: string; status: string }, settings: SettleSettings): boolean {
  return (order.state === 'waiting' || order.state === 'received') && !settings.importStatuses.includes(order.status);
}

/** The state as support reads it: the state, or "not exported (status cancelled)". */
export function stateLabel(order: { state: string; status: string }, settings: SettleSettings): string {
  return statusNotExported(order, settings) ? `not exported (status ${order.status})` : order.state;
}
