import type { Knex } from 'knex';
import { systemClock, type Clock } from '../domain/clock.ts';
import { AppError } from '../domain/errors.ts';
import type { CustomerProfileWriter } from '../woo/profile-writer.ts';
import { WooAuthError, WooUnavailableError } from '../woo/errors.ts';
import { linkCustomer, type LinkResult } from './link-customer.ts';

export interface LinkRow {
  customerId: number;
  /** The Sage account code; '' removes the link. */
  code: string;
  allowUnknown?: boolean;
}

export type LinkRowResult =
  { customerId: number; ok: true; link: LinkResult } | { customerId: number; ok: false; error: { code: string; message: string } };

export interface LinkCustomersSummary {
  results: LinkRowResult[];
  linked: number;
  failed: number;
}

/**
 * Links many customers at once, as a person fills in a table (seed 003: "fill out each accounting
 * reference and click Save"). Each row is validated and written on its own, so a mistyped code
 * fails that row only. When the store itself refuses our keys or cannot be reached, the rows
 * after it are not tried: each would wait through the same retries only to fail the same way.
 */
export async function linkCustomers(
  db: Knex,
  rows: readonly LinkRow[],
  writer: CustomerProfileWriter,
  options: { actor: string; clock?: Clock; onUnexpected?: (err: unknown, row: LinkRow) => void },
): Promise<LinkCustomersSummary> {
  const clock = options.clock ?? systemClock;
  const results: LinkRowResult[] = [];
  let storeDown: AppError | undefined;
  for (const row of rows) {
    if (storeDown) {
      results.push({
        customerId: row.customerId,
        ok: false,
        error: { code: 'NOT_ATTEMPTED', message: `not tried: ${storeDown.message}` },
      });
      continue;
    }
    try {
      const link = await linkCustomer(
        db,
        { customerId: row.customerId, code: row.code, allowUnknown: row.allowUnknown, actor: options.actor, clock },
        writer,
      );
      results.push({ customerId: row.customerId, ok: true, link });
    } catch (err) {
      if (err instanceof WooAuthError || err instanceof WooUnavailableError) storeDown = err;
      if (err instanceof AppError) {
        results.push({ customerId: row.customerId, ok: false, error: { code: err.code, message: err.message } });
      } else {
        options.onUnexpected?.(err, row);
        results.push({
          customerId: row.customerId,
          ok: false,
          error: { code: 'INTERNAL', message: 'an internal error stopped this link; the server log has the details' },
        });
      }
    }
  }
  const linked = results.filter((r) => r.ok).length;
  return { results, linked, failed: results.length - linked };
}
