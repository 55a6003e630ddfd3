import { create } from 'xmlbuilder2';
import { describe, expect, it } from 'vitest';
import { customerFacts } from './generate-customer.ts';
import type { GeneratorConfig } from './generator-config.ts';
import { renderSageCustomerExport, sandboxSageAccounts } from './sage-accounts.ts';

const config: GeneratorConfig = {
  seed: 42,
  orders: 300,
  customers: 400,
  startSec: Date.parse('2026-09-01T08:00:00Z') / 1000,
  secondsPerOrder: 3517,
  firstOrderId: 1001,
  pricesIncludeTax: 'mixed',
  origin: 'http://x',
  profileMetaKey: 'sage_account_code',
};

describe('the sandbox’s Sage accounts', () => {
  const accounts = sandboxSageAccounts(config);
  const byCode = new Map(accounts.map((a) => [a.accountReference, a]));

  it('when a customer has a well-formed profile code, then Sage has that account; malformed and unknown codes are not in Sage', () => {
    for (let id = 1; id <= config.customers; id++) {
      const facts = customerFacts(config, id);
      const code = facts.profileCode?.trim().toUpperCase();
      if (facts.profileKind === 'valid' || facts.profileKind === 'messy') expect(byCode.has(code!), `customer ${id} ${code}`).toBe(true);
      if (facts.profileKind === 'malformed' || facts.profileKind === 'unknown') expect(byCode.has(code!)).toBe(false);
    }
  });

  it('when accounts are made, then codes are unique Sage references, and some buyers exist by email, one email twice', () => {
    expect(new Set(accounts.map((a) => a.accountReference)).size).toBe(accounts.length);
    for (const a of accounts) expect(a.accountReference).toMatch(/^[A-Z0-9]{1,8}$/);
    const emails = accounts.flatMap((a) => a.emails.map((e) => e.toLowerCase()));
    expect(emails.length - new Set(emails).size).toBeGreaterThan(0);
    expect(accounts.some((a) => a.emails.some((e) => e !== e.toLowerCase()))).toBe(true);
  });

  it('when rendered, then it is a Company/Customers/Customer document with the export’s fields', () => {
    const xml = renderSageCustomerExport(accounts.slice(0, 3));
    const doc = create(xml).end({ format: 'object' }) as any;
    const customers = doc.Company.Customers.Customer;
    expect(customers).toHaveLength(3);
    expect(customers[2]).toMatchObject({
      Id: '3',
      AccountReference: accounts[2]!.accountReference,
      CustomerInvoiceAddress: { Email: accounts[2]!.emails[0] },
    });
    expect(xml).toContain('xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"');
  });
});
