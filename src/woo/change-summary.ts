import { formatMinorUnits, isDecimalText, toMinorUnits } from '../domain/money.ts';
import { decodeEntities } from '../domain/text.ts';

type Json = Record<string, unknown>;

const asObject = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const asList = (v: unknown): Json[] => (Array.isArray(v) ? v.map(asObject) : []);
const text = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function money(v: unknown): string {
  return isDecimalText(v) ? formatMinorUnits(toMinorUnits(v as string | number)) : JSON.stringify(v ?? null);
}

function sameMoney(a: unknown, b: unknown): boolean {
  if (isDecimalText(a) && isDecimalText(b)) return toMinorUnits(a as string | number) === toMinorUnits(b as string | number);
  return text(a) === text(b);
}

function name(line: Json): string {
  return `"${decodeEntities(text(line.name || line.code || line.method_title || `#${text(line.id)}`))}"`;
}

function sumOf(lines: Json[], field: string): string {
  let minor = 0;
  for (const line of lines) if (isDecimalText(line[field])) minor += toMinorUnits(line[field] as string);
  return formatMinorUnits(minor);
}

/** Lines matched by id: added, removed, and what changed on the ones in both. */
function lineChanges(label: string, before: Json[], after: Json[], fields: Array<[string, string]>): string[] {
  const out: string[] = [];
  const byId = new Map(before.map((l) => [text(l.id), l]));
  const afterIds = new Set(after.map((l) => text(l.id)));
  for (const line of after) {
    const old = byId.get(text(line.id));
    if (!old) {
      const qty = line.quantity !== undefined ? ` × ${text(line.quantity)}` : '';
      out.push(`${label} added: ${name(line)}${qty}${line.total !== undefined ? ` (${money(line.total)})` : ''}`);
      continue;
    }
    const diffs = fields
      .filter(([field]) =>
        field === 'quantity' || field === 'name' ? text(old[field]) !== text(line[field]) : !sameMoney(old[field], line[field]),
      )
      .map(([field, shown]) =>
        field === 'quantity' || field === 'name'
          ? `${shown} ${decodeEntities(text(old[field]))} → ${decodeEntities(text(line[field]))}`
          : `${shown} ${money(old[field])} → ${money(line[field])}`,
      );
    if (diffs.length) out.push(`${label} ${name(old)}: ${diffs.join(', ')}`);
  }
  for (const line of before) if (!afterIds.has(text(line.id))) out.push(`${label} removed: ${name(line)}`);
  return out;
}

function addressChanged(a: unknown, b: unknown): boolean {
  const x = asObject(a);
  const y = asObject(b);
  return ['first_name', 'last_name', 'company', 'address_1', 'address_2', 'city', 'state', 'postcode', 'country', 'phone'].some(
    (f) => text(x[f]).trim() !== text(y[f]).trim(),
  );
}

/**
 * What changed between two versions of an order, in words a support person can act on:
 * "status processing → cancelled", "total 12.00 → 10.00", "refund #77 added: -2.00 (Damaged)".
 * Works on raw payloads, so it also describes an order that can no longer be read.
 */
export function describeOrderChange(beforeRaw: unknown, afterRaw: unknown): string[] {
  const before = asObject(beforeRaw);
  const after = asObject(afterRaw);
  const out: string[] = [];
  if (text(before.status) !== text(after.status)) out.push(`status ${text(before.status) || '(none)'} → ${text(after.status) || '(none)'}`);
  for (const [field, shown] of [
    ['total', 'total'],
    ['total_tax', 'tax'],
    ['shipping_total', 'shipping'],
    ['discount_total', 'discount'],
  ] as const) {
    if (!sameMoney(before[field], after[field])) out.push(`${shown} ${money(before[field])} → ${money(after[field])}`);
  }
  if (text(before.currency) !== text(after.currency)) out.push(`currency ${text(before.currency)} → ${text(after.currency)}`);
  if (text(before.customer_id) !== text(after.customer_id)) out.push(`customer ${text(before.customer_id)} → ${text(after.customer_id)}`);
  const emailBefore = text(asObject(before.billing).email).trim();
  const emailAfter = text(asObject(after.billing).email).trim();
  if (emailBefore.toLowerCase() !== emailAfter.toLowerCase())
    out.push(`billing email ${emailBefore || '(none)'} → ${emailAfter || '(none)'}`);
  else if (addressChanged(before.billing, after.billing)) out.push('billing address changed');
  if (addressChanged(before.shipping, after.shipping)) out.push('shipping address changed');
  out.push(
    ...lineChanges('line', asList(before.line_items), asList(after.line_items), [
      ['name', 'name'],
      ['quantity', 'quantity'],
      ['total', 'total'],
      ['total_tax', 'tax'],
    ]),
  );
  const feesBefore = asList(before.fee_lines);
  const feesAfter = asList(after.fee_lines);
  if (sumOf(feesBefore, 'total') !== sumOf(feesAfter, 'total'))
    out.push(`fees ${sumOf(feesBefore, 'total')} → ${sumOf(feesAfter, 'total')}`);
  const couponsBefore = new Set(asList(before.coupon_lines).map((c) => text(c.code)));
  const couponsAfter = new Set(asList(after.coupon_lines).map((c) => text(c.code)));
  for (const code of couponsAfter) if (!couponsBefore.has(code)) out.push(`coupon ${code} added`);
  for (const code of couponsBefore) if (!couponsAfter.has(code)) out.push(`coupon ${code} removed`);
  const refundsBefore = new Map(asList(before.refunds).map((r) => [text(r.id), r]));
  const refundIdsAfter = new Set(asList(after.refunds).map((r) => text(r.id)));
  for (const refund of asList(after.refunds)) {
    if (refundsBefore.has(text(refund.id))) continue;
    const reason = text(refund.reason).trim();
    out.push(`refund #${text(refund.id)} added: ${money(refund.total)}${reason ? ` (${reason})` : ''}`);
  }
  for (const id of refundsBefore.keys()) if (!refundIdsAfter.has(id)) out.push(`refund #${id} removed`);
  const metaOf = (o: Json) =>
    new Map(
      asList(o.meta_data)
        .filter((m) => !text(m.key).startsWith('_'))
        .map((m) => [text(m.key), text(m.value)]),
    );
  const metaBefore = metaOf(before);
  const metaAfter = metaOf(after);
  for (const key of new Set([...metaBefore.keys(), ...metaAfter.keys()])) {
    if (metaBefore.get(key) !== metaAfter.get(key)) {
      out.push(`meta ${key} ${JSON.stringify(metaBefore.get(key) ?? null)} → ${JSON.stringify(metaAfter.get(key) ?? null)}`);
    }
  }
  if (out.length === 0) out.push('other details changed');
  return out;
}
