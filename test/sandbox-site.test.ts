import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionFinding } from '../src/check/key-checks.ts';
import { readTaxRate, taxRateFindings } from '../src/check/tax-rate-checks.ts';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { DEFAULT_SETTINGS } from '../src/settings/schema.ts';
import { sandboxClient } from './helpers/woo.ts';

const docs = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures/woo-docs', name), 'utf8'));

/** Where `ours` lacks a field of the documented example, or has it with another JSON type. */
function shapeGaps(doc: unknown, ours: unknown, at = ''): string[] {
  if (Array.isArray(doc)) {
    if (!Array.isArray(ours)) return [`${at}: not a list`];
    return doc.length && ours.length ? shapeGaps(doc[0], ours[0], `${at}[0]`) : [];
  }
  if (doc !== null && typeof doc === 'object') {
    if (ours === null || typeof ours !== 'object' || Array.isArray(ours)) return [`${at}: not an object`];
    return Object.entries(doc).flatMap(([key, value]) =>
      Object.hasOwn(ours, key) ? shapeGaps(value, (ours as Record<string, unknown>)[key], `${at}.${key}`) : [`${at}.${key}: missing`],
    );
  }
  return typeof doc === typeof ours ? [] : [`${at}: ${typeof ours}, documented ${typeof doc}`];
}

describe('the sandbox store’s set-up, as WooCommerce answers it', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ orders: 2 });
  });
  afterAll(() => sandbox.close());

  it.each([
    ['system_status', 'system-status.json'],
    ['taxes', 'taxes.json'],
    ['payment_gateways', 'payment-gateways.json'],
  ])('when %s is read, then it has every field of the REST docs’ example, with the same types', async (endpoint, fixture) => {
    const { json } = await sandboxClient(sandbox).client.getJson(endpoint);
    expect(shapeGaps(docs(fixture), json)).toEqual([]);
  });

  it('when settings/general is read, then its currency option is shaped like the docs’ example', async () => {
    const { json } = await sandboxClient(sandbox).client.getJson('settings/general');
    const currency = (json as Array<{ id: string }>).find((o) => o.id === 'woocommerce_currency');
    expect(shapeGaps((docs('settings-general.json') as unknown[])[0], currency)).toEqual([]);
  });

  it('when the public /wp-json/ index is read without keys, then it names the Site Address, timezone and namespaces; _fields trims it', async () => {
    const res = await fetch(`${sandbox.url}/wp-json/?_fields=home,timezone_string,namespaces`);
    expect(res.status).toBe(200);
    const index = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(index).sort()).toEqual(['home', 'namespaces', 'timezone_string']);
    expect(index).toMatchObject({ home: sandbox.url, timezone_string: 'Europe/London' });
    expect(index.namespaces).toContain('wc/v3');
  });

  it('when the permalinks are Plain, then /wp-json/ is a 404 page and ?rest_route= serves the API, signed requests included', async () => {
    sandbox.site.permalinks = 'plain';
    try {
      const page = await fetch(`${sandbox.url}/wp-json/wc/v3/orders`);
      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toContain('text/html');
      const index = await fetch(`${sandbox.url}/?rest_route=/`);
      expect(((await index.json()) as { home: string }).home).toBe(sandbox.url);
      const anonymous = await fetch(`${sandbox.url}/?rest_route=/wc/v3/orders`);
      expect(((await anonymous.json()) as { code: string }).code).toBe('woocommerce_rest_cannot_view');
    } finally {
      sandbox.site.permalinks = 'pretty';
    }
  });
});

describe('check’s reading of the REST docs’ own examples', () => {
  it('when the store is the docs’ WooCommerce 3.0.0, then it is too old for polling by modification time', () => {
    expect(versionFinding(docs('system-status.json'))).toMatchObject({
      level: 'fail',
      message: expect.stringContaining('WooCommerce 3.0.0 on WordPress 4.7.3'),
    });
  });

  it('when the store has the docs’ US state taxes, then neither maps to a T-code with the UK defaults', () => {
    const rates = (docs('taxes.json') as unknown[]).map(readTaxRate);
    expect(
      taxRateFindings(
        rates.filter((r) => r !== undefined),
        DEFAULT_SETTINGS,
      ).map((f) => [f.level, f.message]),
    ).toEqual([
      ['fail', 'tax rate 72 "State Tax" 4% (US-AL, class standard) has no Sage tax code: orders taxed at it would be held'],
      ['fail', 'tax rate 73 "State Tax" 5.6% (US-AZ, class standard) has no Sage tax code: orders taxed at it would be held'],
    ]);
  });
});
