import { Router } from 'express';
import { REST_PREFIX } from './generator-config.ts';
import { enumParam, intParam, ParamErrors, type RawQuery } from './rest-params.ts';
import { invalidParams, listHeaders, restError, send } from './responses.ts';
import type { SandboxSite } from './site-config.ts';

/**
 * The store's own setup, read-only, shaped as WooCommerce's REST API answers it (the examples of
 * woocommerce-rest-api-docs `_system-status.md`, `_setting-options.md`, `_taxes.md`,
 * `_payment-gateways.md`): system_status, settings/general, settings/tax, taxes, payment_gateways.
 */

type Json = Record<string, unknown>;

function links(origin: string, path: string, collection: string): Json {
  return { self: [{ href: `${origin}${REST_PREFIX}/${path}` }], collection: [{ href: `${origin}${REST_PREFIX}/${collection}` }] };
}

function option(origin: string, group: string, id: string, label: string, type: string, value: unknown, extra: Json = {}): Json {
  return {
    id,
    label,
    description: '',
    type,
    default: '',
    tip: '',
    value,
    ...extra,
    _links: links(origin, `settings/${group}/${id}`, `settings/${group}`),
  };
}

const yesNo = (flag: boolean) => (flag ? 'yes' : 'no');

function generalSettings(site: SandboxSite, origin: string): Json[] {
  const o = (id: string, label: string, type: string, value: unknown, extra: Json = {}) =>
    option(origin, 'general', id, label, type, value, extra);
  return [
    o('woocommerce_store_address', 'Address line 1', 'text', '1 High Street'),
    o('woocommerce_store_city', 'City', 'text', 'Bristol'),
    o('woocommerce_default_country', 'Country / State', 'select', 'GB'),
    o('woocommerce_store_postcode', 'Postcode / ZIP', 'text', 'BS1 1AA'),
    o('woocommerce_calc_taxes', 'Enable taxes', 'checkbox', yesNo(site.calcTaxes), { default: 'no' }),
    o('woocommerce_enable_coupons', 'Enable coupons', 'checkbox', 'yes', { default: 'yes' }),
    o('woocommerce_currency', 'Currency', 'select', site.currency, {
      default: 'GBP',
      options: { GBP: 'Pound sterling (&pound;)', EUR: 'Euro (&euro;)', USD: 'United States (US) dollar (&#36;)' },
    }),
    o('woocommerce_currency_pos', 'Currency position', 'select', 'left', { default: 'left' }),
    o('woocommerce_price_thousand_sep', 'Thousand separator', 'text', ',', { default: ',' }),
    o('woocommerce_price_decimal_sep', 'Decimal separator', 'text', '.', { default: '.' }),
    o('woocommerce_price_num_decimals', 'Number of decimals', 'number', String(site.priceDecimals), { default: '2' }),
  ];
}

function taxSettings(site: SandboxSite, origin: string): Json[] {
  const o = (id: string, label: string, type: string, value: unknown, extra: Json = {}) =>
    option(origin, 'tax', id, label, type, value, extra);
  return [
    o('woocommerce_prices_include_tax', 'Prices entered with tax', 'radio', yesNo(site.pricesIncludeTax), {
      default: 'no',
      options: { yes: 'Yes, I will enter prices inclusive of tax', no: 'No, I will enter prices exclusive of tax' },
    }),
    o('woocommerce_tax_based_on', 'Calculate tax based on', 'select', 'shipping', { default: 'shipping' }),
    o('woocommerce_shipping_tax_class', 'Shipping tax class', 'select', 'inherit', { default: 'inherit' }),
    o('woocommerce_tax_round_at_subtotal', 'Rounding', 'checkbox', yesNo(site.roundAtSubtotal), { default: 'no' }),
    o('woocommerce_tax_classes', 'Additional tax classes', 'textarea', 'Reduced rate\nZero rate'),
    o('woocommerce_tax_display_shop', 'Display prices in the shop', 'select', 'incl', { default: 'excl' }),
    o('woocommerce_tax_display_cart', 'Display prices during cart and checkout', 'select', 'incl', { default: 'excl' }),
    o('woocommerce_tax_total_display', 'Display tax totals', 'select', 'itemized', { default: 'itemized' }),
  ];
}

function systemStatus(site: SandboxSite, home: string): Json {
  const tables = [
    'sessions',
    'api_keys',
    'attribute_taxonomies',
    'downloadable_product_permissions',
    'order_items',
    'order_itemmeta',
    'tax_rates',
    'tax_rate_locations',
    'shipping_zones',
    'shipping_zone_locations',
    'shipping_zone_methods',
    'payment_tokens',
    'payment_tokenmeta',
  ];
  return {
    environment: {
      home_url: home,
      site_url: home,
      version: site.wcVersion,
      log_directory: '/var/www/html/wp-content/uploads/wc-logs/',
      log_directory_writable: true,
      wp_version: site.wpVersion,
      wp_multisite: false,
      wp_memory_limit: 268435456,
      wp_debug_mode: false,
      wp_cron: true,
      language: 'en_GB',
      server_info: 'Apache/2.4.57 (Debian)',
      php_version: '8.1.27',
      php_post_max_size: 67108864,
      php_max_execution_time: 300,
      php_max_input_vars: 1000,
      curl_version: '7.88.1, OpenSSL/3.0.11',
      suhosin_installed: false,
      max_upload_size: 67108864,
      mysql_version: '10.11.6-MariaDB',
      default_timezone: 'UTC',
      fsockopen_or_curl_enabled: true,
      soapclient_enabled: true,
      domdocument_enabled: true,
      gzip_enabled: true,
      mbstring_enabled: true,
      remote_post_successful: true,
      remote_post_response: '200',
      remote_get_successful: true,
      remote_get_response: '200',
    },
    database: {
      wc_database_version: site.wcVersion,
      database_prefix: 'wp_',
      maxmind_geoip_database: '',
      database_tables: Object.fromEntries(tables.map((t) => [`woocommerce_${t}`, true])),
    },
    active_plugins: [
      {
        plugin: 'woocommerce/woocommerce.php',
        name: 'WooCommerce',
        version: site.wcVersion,
        version_latest: site.wcVersion,
        url: 'https://woocommerce.com/',
        author_name: 'Automattic',
        author_url: 'https://woocommerce.com',
        network_activated: false,
      },
    ],
    theme: {
      name: 'Storefront',
      version: '4.5.4',
      version_latest: '4.5.4',
      author_url: 'https://woocommerce.com/',
      is_child_theme: false,
      has_woocommerce_support: true,
      has_woocommerce_file: false,
      has_outdated_templates: false,
      overrides: [],
      parent_name: '',
      parent_version: '',
      parent_version_latest: '',
      parent_author_url: '',
    },
    settings: {
      api_enabled: false,
      force_ssl: false,
      currency: site.currency,
      currency_symbol: site.currency === 'GBP' ? '&pound;' : site.currency,
      currency_position: 'left',
      thousand_separator: ',',
      decimal_separator: '.',
      number_of_decimals: site.priceDecimals,
      geolocation_enabled: false,
      taxonomies: { external: 'external', grouped: 'grouped', simple: 'simple', variable: 'variable' },
    },
    security: { secure_connection: home.startsWith('https:'), hide_errors: true },
    pages: [
      {
        page_name: 'Shop base',
        page_id: '4',
        page_set: true,
        page_exists: true,
        page_visible: true,
        shortcode: '',
        shortcode_required: false,
        shortcode_present: false,
      },
    ],
  };
}

function taxRate(rate: SandboxSite['taxRates'][number], index: number, origin: string): Json {
  return {
    id: rate.id,
    country: rate.country,
    state: '',
    postcode: '',
    city: '',
    postcodes: [],
    cities: [],
    rate: rate.rate,
    name: rate.name,
    priority: 1,
    compound: false,
    shipping: rate.shipping,
    order: index,
    class: rate.className,
    _links: links(origin, `taxes/${rate.id}`, 'taxes'),
  };
}

function gateway(g: SandboxSite['gateways'][number], index: number, origin: string): Json {
  return {
    id: g.id,
    title: g.title,
    description: '',
    order: index,
    enabled: g.enabled,
    method_title: g.methodTitle,
    method_description: '',
    method_supports: ['products', 'refunds'],
    // Real gateways keep API credentials here; a client must never echo them.
    settings: {
      title: { id: 'title', label: 'Title', description: '', type: 'text', value: g.title, default: g.title, tip: '', placeholder: '' },
      api_secret: {
        id: 'api_secret',
        label: 'Secret key',
        description: '',
        type: 'password',
        value: `sk_live_${g.id}_s3cr3t`,
        default: '',
        tip: '',
        placeholder: '',
      },
    },
    _links: links(origin, `payment_gateways/${g.id}`, 'payment_gateways'),
  };
}

/** Routes below /wp-json/wc/v3 (mounted on the authenticated API router). */
export function siteRoutes(site: () => SandboxSite, origin: () => string, home: () => string): Router {
  const api = Router();
  api.get('/system_status', (_req, res) => send(res, 200, systemStatus(site(), home())));
  api.get('/settings/:group', (req, res) => {
    const group = req.params.group;
    if (group === 'general') return send(res, 200, generalSettings(site(), origin()));
    if (group === 'tax') return send(res, 200, taxSettings(site(), origin()));
    restError(res, 404, 'rest_setting_setting_group_invalid', 'Invalid setting group.');
  });
  api.get('/taxes', (req, res) => {
    const q = req.query as RawQuery;
    const errors = new ParamErrors();
    const perPage = intParam(q, 'per_page', errors, 10, 1, 100);
    const page = intParam(q, 'page', errors, 1, 1);
    enumParam(q, 'orderby', errors, ['id', 'order', 'priority'] as const, 'order');
    if (errors.any) return invalidParams(res, errors);
    const all = site().taxRates.map((r, i) => taxRate(r, i, origin()));
    send(res, 200, all.slice((page - 1) * perPage, page * perPage), listHeaders(req, origin(), all.length, perPage, page));
  });
  api.get('/payment_gateways', (_req, res) =>
    send(
      res,
      200,
      site().gateways.map((g, i) => gateway(g, i, origin())),
    ),
  );
  return api;
}
