import type { Knex } from 'knex';

/**
 * couponDiscountAs' default moved from "lineDiscount" to "unambiguous": Zynk does not say whether
 * UnitDiscountAmount is per unit or per line, and "lineDiscount" is wrong under the per-unit
 * reading for every discounted line of several units. The stored settings document holds every
 * key, defaults included, so an installation that never chose a mode would keep the old default:
 * it is moved, and the change audited. A mode a person chose (an audited change of the key) stays.
 */
const SUBJECT = 'settings.couponDiscountAs';

export async function up(db: Knex): Promise<void> {
  const row = await db('settings').where({ name: 'main' }).first('document', 'version');
  if (!row) return;
  const document = JSON.parse(row.document) as Record<string, unknown>;
  if (document.couponDiscountAs !== 'lineDiscount') return;
  const chosen = await db('audit_log').where({ action: 'settings.set', subject: SUBJECT }).first('id');
  if (chosen) return;
  const at = new Date().toISOString();
  await db('settings')
    .where({ name: 'main' })
    .update({
      document: JSON.stringify({ ...document, couponDiscountAs: 'unambiguous' }),
      version: Number(row.version) + 1,
      updated_at: at,
      updated_by: 'migration',
    });
  await db('audit_log').insert({
    at,
    actor: 'migration',
    action: 'settings.set',
    subject: SUBJECT,
    before: JSON.stringify('lineDiscount'),
    after: JSON.stringify('unambiguous'),
    details: JSON.stringify({
      reason: 'the old default, never chosen: the new default is right whether Sage reads the discount per unit or per line',
    }),
  });
}

// The document is left as it is: after the new default was written, a person may have relied on it.
export async function down(): Promise<void> {}
