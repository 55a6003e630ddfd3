import { PAYMENT_METHODS } from './catalog.ts';
import { UK_TAX_RATES } from './wc-totals.ts';

/** One row of WooCommerce → Settings → Tax → rates, as `GET taxes` lists it. */
export interface SandboxTaxRate {
  id: number;
  country: string;
  rate: string;
  name: string;
  /** "standard" or a tax class slug. */
  className: string;
  shipping: boolean;
}

export interface SandboxGateway {
  id: string;
  title: string;
  methodTitle: string;
  enabled: boolean;
}

/**
 * How the sandbox's WordPress and WooCommerce are set up. The defaults are a well set-up UK shop;
 * tests change one thing at a time to reproduce what real stores get wrong.
 */
export interface SandboxSite {
  /** "plain": WordPress's Settings → Permalinks is Plain, so /wp-json/ is a 404 and only `?rest_route=` reaches the API. */
  permalinks: 'pretty' | 'plain';
  /**
   * The host of WordPress's Site Address (Settings → General), when it is not the host the sandbox
   * listens on: OAuth 1.0a over http signs the Site Address, so requests to another host fail as
   * "invalid signature".
   */
  siteHost?: string;
  /** Every request to another host is redirected here (301, same path), as an http→https or www rule on the server does. */
  redirectToHost?: string;
  /** A security plugin ("Disable REST API") refuses anonymous readers of /wp-json/ with 401 `rest_cannot_access`. */
  restIndexClosed?: boolean;
  /** False: WooCommerce is deactivated, so WordPress has no wc/v3 routes. */
  woocommerceActive: boolean;
  wcVersion: string;
  wpVersion: string;
  /** WordPress's timezone: a city ("Europe/London") or, when empty, the fixed `gmtOffset` ("UTC+0"). */
  timezoneString: string;
  gmtOffset: number;
  currency: string;
  priceDecimals: number;
  calcTaxes: boolean;
  pricesIncludeTax: boolean;
  roundAtSubtotal: boolean;
  taxRates: SandboxTaxRate[];
  gateways: SandboxGateway[];
}

export const DEFAULT_TAX_RATES: readonly SandboxTaxRate[] = UK_TAX_RATES.map((r) => ({
  id: r.id,
  country: 'GB',
  rate: r.percent.toFixed(4),
  name: r.label,
  className: r.className || 'standard',
  shipping: r.className === '',
}));

export function defaultSite(pricesIncludeTax: boolean | 'mixed'): SandboxSite {
  return {
    permalinks: 'pretty',
    woocommerceActive: true,
    wcVersion: '7.9.0',
    wpVersion: '6.4.2',
    timezoneString: 'Europe/London',
    gmtOffset: 0,
    currency: 'GBP',
    priceDecimals: 2,
    calcTaxes: true,
    // A shop generated with "mixed" switched the setting at some point; it shows its current value.
    pricesIncludeTax: pricesIncludeTax === true,
    roundAtSubtotal: false,
    taxRates: DEFAULT_TAX_RATES.map((r) => ({ ...r })),
    gateways: [
      ...PAYMENT_METHODS.map((m) => ({ id: m.id, title: m.title, methodTitle: m.title, enabled: true })),
      { id: 'cheque', title: 'Check payments', methodTitle: 'Check payments', enabled: false },
    ],
  };
}
