import type { OrderDetail } from '../db/order-queries.ts';
import type { OrderWithWaitingReason } from '../pipeline/waiting-reasons.ts';
import { money } from './format.ts';

/** `orders explain` as text: what a support person reads to answer "why is this order here?". */
export function explainText(detail: OrderDetail & { order: OrderWithWaitingReason }, now: Date): string {
  const o = detail.order;
  const lines = [
    `Order ${o.id}${o.number && o.number !== String(o.id) ? ` (number ${o.number})` : ''}: ${o.stateLabel}, WooCommerce status ${o.status}`,
    `  total ${money(o.totalMinor, o.currency)}, buyer ${o.billingName ? `${o.billingName}, ` : ''}${o.customerId > 0 ? `customer ${o.customerId}` : 'guest'} <${o.billingEmail ?? ''}>`,
    `  account ${o.accountCode ?? '(none)'}${o.rule ? ` by rule ${o.rule}` : ''}`,
  ];
  if (o.lastError) lines.push(`  problem: ${o.lastError}`);
  if (o.waitingReason) lines.push(`  waiting: ${o.waitingReason}`);
  if (o.changedAfterExport)
    lines.push(`  CHANGED AFTER EXPORT: needs a person (see "Changes after export"; acknowledge with: woo-sage orders ack ${o.id})`);
  const decision = detail.decision as {
    reason?: string;
    trace?: Array<{ step?: string; outcome?: string; detail?: string } | string>;
  } | null;
  if (decision?.reason) lines.push('', 'Why:', `  ${decision.reason}`);
  if (decision?.trace?.length) {
    for (const step of decision.trace)
      lines.push(`  - ${typeof step === 'string' ? step : Object.values(step).filter(Boolean).join(': ')}`);
  }
  lines.push('', 'History:');
  for (const e of detail.events) lines.push(`  ${e.at}  ${e.from ?? '(new)'} → ${e.to}  ${e.reason ?? ''}  [${e.actor}]`);
  lines.push('', 'Documents:');
  if (detail.documents.length === 0) lines.push('  none queued');
  for (const d of detail.documents) {
    const where = d.batchName ? `batch ${d.batchName}` : 'not yet in a batch';
    lines.push(
      `  ${d.kind} ${d.jobKey}: ${d.state}, ${where}${d.deliveredAt ? `, delivered ${d.deliveredAt}` : ''}, attempts ${d.attempts} of ${d.maxAttempts}`,
    );
    if (d.state === 'queued' && d.nextAttemptAt > now.toISOString()) lines.push(`    next attempt after ${d.nextAttemptAt}`);
    if (d.lastError) lines.push(`    last error: ${d.lastError}`);
    if (d.resultMessage && d.resultMessage !== d.lastError) lines.push(`    importer: ${d.resultMessage}`);
    for (const warning of d.warnings) lines.push(`    warning: ${warning}`);
  }
  if (detail.changes.length > 0) {
    lines.push('', 'Changes after export:');
    for (const c of detail.changes) {
      lines.push(`  ${c.detectedAt}  ${c.summary}`);
      if (c.action) lines.push(`    to do: ${c.action}`);
      lines.push(
        c.acknowledgedAt
          ? `    acknowledged ${c.acknowledgedAt} by ${c.acknowledgedBy ?? '?'}${c.note ? `: ${c.note}` : ''}`
          : '    not yet acknowledged',
      );
    }
  }
  return lines.join('\n');
}
