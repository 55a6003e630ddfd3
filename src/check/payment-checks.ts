import type { Settings } from '../settings/schema.ts';
import type { WooClient } from '../woo/client.ts';
import { finding, shopText, type Finding } from './findings.ts';

interface Gateway {
  id: string;
  title: string;
  enabled: boolean;
}

/** Only id, title and enabled are read: a gateway's `settings` hold its API credentials. */
async function fetchGateways(client: WooClient): Promise<Gateway[]> {
  const { json } = await client.getJson('payment_gateways');
  if (!Array.isArray(json)) throw new Error('payment_gateways is not a list of gateways');
  return json
    .map((raw) => {
      const g = (raw ?? {}) as Record<string, unknown>;
      return { id: typeof g.id === 'string' ? g.id : '', title: shopText(g.title), enabled: g.enabled === true };
    })
    .filter((g) => g.id !== '');
}

/**
 * Which Sage bank account each enabled gateway's payments are posted to (`payments.byMethod`, else
 * `payments.bankAccount`). One gateway on the default is fine; several sharing it usually is not
 * (card takings and a PayPal balance are different bank accounts in Sage).
 */
export function gatewayFindings(gateways: readonly Gateway[], settings: Settings): Finding[] {
  const { record, bankAccount, byMethod } = settings.payments;
  if (!record) return [finding('payment.gateway', 'info', 'payments are not posted with sales orders (payments.record is off)')];
  const enabled = gateways.filter((g) => g.enabled);
  const mapped = (id: string) => (Object.hasOwn(byMethod, id) ? byMethod[id] : undefined);
  const findings = enabled.map((g) => {
    const name = `payment gateway ${shopText(g.id, 40)} (${g.title})`;
    const own = mapped(g.id);
    if (own !== undefined) return finding('payment.gateway', 'ok', `${name} → bank account ${own}`);
    if (enabled.length === 1) return finding('payment.gateway', 'ok', `${name} → the default bank account ${bankAccount}`);
    return finding(
      'payment.gateway',
      'warn',
      `${name} has no bank account of its own: its payments are posted to the default bank account ${bankAccount}, with those of the other gateways`,
      `set payments.byMethod["${shopText(g.id, 40)}"] to the Sage bank account its money reaches`,
    );
  });
  const known = new Set(gateways.map((g) => g.id));
  for (const id of Object.keys(byMethod).filter((m) => !known.has(m)))
    findings.push(
      finding(
        'payment.gateway',
        'warn',
        `payments.byMethod names "${shopText(id, 40)}", which is not a payment gateway of the store`,
        'check its spelling against the gateway ids above',
      ),
    );
  if (enabled.length === 0) findings.push(finding('payment.gateway', 'info', 'the store has no payment gateway enabled'));
  return findings;
}

export async function checkPaymentGateways(client: WooClient, settings: Settings): Promise<Finding[]> {
  try {
    return gatewayFindings(await fetchGateways(client), settings);
  } catch (err) {
    return [
      finding(
        'payment.gateway',
        'warn',
        `the store's payment gateways could not be read: ${(err as Error).message}`,
        'create the key for an Administrator or Shop manager',
      ),
    ];
  }
}
