import type { Settings } from '../settings/schema.ts';
import type { WooClient } from '../woo/client.ts';
import { finding, shopText, type Finding } from './findings.ts';
import type { WordPressSite } from './wordpress-checks.ts';

/** `GET settings/{group}`: an array of `{id, value, …}`; read into a Map (ids come from the store). */
async function settingsGroup(client: WooClient, group: 'general' | 'tax'): Promise<Map<string, string>> {
  const { json } = await client.getJson(`settings/${group}`);
  if (!Array.isArray(json)) throw new Error(`settings/${group} is not a list of settings`);
  const values = new Map<string, string>();
  for (const entry of json) {
    const { id, value } = (entry ?? {}) as { id?: unknown; value?: unknown };
    if (typeof id === 'string' && (typeof value === 'string' || typeof value === 'number')) values.set(id, String(value));
  }
  return values;
}

function unreadable(id: string, what: string, err: unknown): Finding {
  return finding(
    id,
    'warn',
    `the store's ${what} could not be read: ${(err as Error).message}`,
    'create the key for an Administrator or Shop manager',
  );
}

function generalFindings(general: Map<string, string>, settings: Settings): Finding[] {
  const findings: Finding[] = [];
  const currency = shopText(general.get('woocommerce_currency'), 10);
  if (currency === 'GBP') findings.push(finding('store.currency', 'ok', 'the store sells in GBP'));
  else
    findings.push(
      finding(
        'store.currency',
        'warn',
        `the store sells in ${currency || '(no currency set)'}, not GBP: its sales orders go to Sage in that currency`,
        'make sure Sage 50 has that currency set up (Settings → Currencies), or that it is Sage’s base currency',
      ),
    );
  const decimals = general.get('woocommerce_price_num_decimals');
  if (decimals !== undefined && decimals !== '2')
    findings.push(
      finding(
        'store.decimals',
        'warn',
        `the store shows prices with ${shopText(decimals, 4)} decimals: WooCommerce rounds its totals that way, while Sage counts pennies`,
        'set WooCommerce → Settings → General → Number of decimals to 2',
      ),
    );
  if (general.get('woocommerce_calc_taxes') === 'no')
    findings.push(
      finding(
        'store.taxes',
        'warn',
        `taxes are off in WooCommerce: every line goes to Sage untaxed, with T${settings.taxCodes.untaxed} (taxCodes.untaxed)`,
        'if the shop charges VAT, turn on WooCommerce → Settings → General → Enable tax rates and calculations',
      ),
    );
  return findings;
}

function taxFindings(tax: Map<string, string>): Finding[] {
  const inclusive = tax.get('woocommerce_prices_include_tax');
  const atSubtotal = tax.get('woocommerce_tax_round_at_subtotal');
  return [
    finding(
      'store.prices-include-tax',
      'info',
      inclusive === 'yes'
        ? 'prices are entered including tax: WooCommerce works each line’s net back from its gross price; woo-sage prices Sage’s lines so its totals equal the order’s to the penny'
        : inclusive === 'no'
          ? 'prices are entered excluding tax'
          : 'whether prices are entered with tax could not be read',
    ),
    finding(
      'store.tax-rounding',
      'info',
      atSubtotal === 'yes'
        ? 'tax is rounded at subtotal level (once per order) where Sage rounds each line; woo-sage chooses line prices so that Sage’s totals still equal the order’s'
        : 'tax is rounded per line, as Sage does',
    ),
  ];
}

function timezoneFinding(site: WordPressSite): Finding {
  if (site.home === undefined)
    return finding('store.timezone', 'info', "the store's timezone could not be read (its REST index is closed to anonymous readers)");
  if (site.timezoneString)
    return finding(
      'store.timezone',
      'ok',
      `the store's timezone is ${shopText(site.timezoneString, 40)}: Sage documents are dated on the shop's own day`,
    );
  const offset = site.gmtOffset ?? 0;
  const shown = `UTC${offset < 0 ? '-' : '+'}${Math.abs(offset)}`;
  return finding(
    'store.timezone',
    'warn',
    `the store's timezone is the fixed offset ${shown}, which ignores summer time: for half the year, orders placed just after midnight are dated the day before`,
    'in WordPress, Settings → General → Timezone, choose the shop’s city (e.g. London)',
  );
}

/** Currency, decimals, taxes on/off, prices with tax, tax rounding, timezone. */
export async function checkShopSettings(client: WooClient, site: WordPressSite, settings: Settings): Promise<Finding[]> {
  const findings: Finding[] = [];
  try {
    findings.push(...generalFindings(await settingsGroup(client, 'general'), settings));
  } catch (err) {
    findings.push(unreadable('store.currency', 'general settings (currency, taxes on/off)', err));
  }
  try {
    findings.push(...taxFindings(await settingsGroup(client, 'tax')));
  } catch (err) {
    findings.push(unreadable('store.prices-include-tax', 'tax settings (prices with tax, rounding)', err));
  }
  findings.push(timezoneFinding(site));
  return findings;
}
