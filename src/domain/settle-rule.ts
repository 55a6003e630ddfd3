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
