import fs from 'node:fs';
import { z } from 'zod';
import { InMemoryMirror } from '../domain/allocation/in-memory-mirror.ts';
import { normaliseAccountCode } from '../domain/allocation/normalise.ts';
import { CustomerExportError, readCustomerExportFile } from '../sage/customer-export-reader.ts';
import { settingsSchema, type Settings } from '../settings/schema.ts';
import { parseCustomer, type WooCustomer } from '../woo/schemas.ts';

/** Reading the files `woo-sage plan` is given; every problem is one clear line and exit status 2. */
export class PlanInputError extends Error {}

const unusable = (message: string): never => {
  throw new PlanInputError(message);
};

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return unusable(`${what} ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (err) {
    return unusable(`${what} ${file}: is not valid JSON (${(err as Error).message})`);
  }
}

/** One WooCommerce order object or an array of them. */
export function readOrdersFile(file: string): unknown[] {
  const doc = readJson(file, 'ORDERS.json');
  if (Array.isArray(doc)) return doc;
  if (doc && typeof doc === 'object') return [doc];
  return unusable(`ORDERS.json ${file}: expected a WooCommerce order object or an array of them, got ${JSON.stringify(doc)?.slice(0, 40)}`);
}

/** WooCommerce customer objects by id; unreadable ones are reported and left out. */
export function readCustomersFile(file: string, warn: (line: string) => void): Map<number, WooCustomer> {
  const doc = readJson(file, 'CUSTOMERS.json');
  const list = Array.isArray(doc)
    ? doc
    : doc && typeof doc === 'object'
      ? [doc]
      : unusable(`CUSTOMERS.json ${file}: expected an array of WooCommerce customer objects`);
  const customers = new Map<number, WooCustomer>();
  list.forEach((raw, index) => {
    const parsed = parseCustomer(raw);
    if (parsed.ok) customers.set(parsed.value.id, parsed.value);
    else warn(`CUSTOMERS.json element ${index} is left out: ${parsed.reason}`);
  });
  return customers;
}

/** A partial settings document; omitted keys take their defaults. */
export function readSettingsFile(file: string | undefined): Settings {
  if (!file) return settingsSchema.parse({});
  const doc = readJson(file, 'SETTINGS.json');
  const result = settingsSchema.safeParse(doc);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue: z.core.$ZodIssue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`);
  return unusable(`SETTINGS.json ${file}: ${problems.join('; ')}`);
}

/** The Sage account mirror as the export describes it: every account active, with all its emails. */
export async function readAccountsFile(file: string | undefined): Promise<InMemoryMirror> {
  const mirror = new InMemoryMirror();
  if (!file) return mirror;
  try {
    await fs.promises.access(file, fs.constants.R_OK);
  } catch {
    return unusable(`ACCOUNTS.xml ${file}: cannot be read`);
  }
  try {
    await readCustomerExportFile(file, (record) => {
      const code = record.accountReference ? normaliseAccountCode(record.accountReference) : '';
      // A record the import would refuse (a field longer than Sage allows) is not in the mirror either.
      if (!code || record.tooLong) return;
      mirror.put({ code, name: record.companyName ?? record.contactName, status: 'active', ownerKey: null, emails: record.emails ?? [] });
    });
  } catch (err) {
    if (err instanceof CustomerExportError) return unusable(`ACCOUNTS.xml ${file}: ${err.message}`);
    throw err;
  }
  return mirror;
}
