import fs from 'node:fs';
import { SaxesParser } from 'saxes';
import { normaliseEmail } from '../domain/allocation/normalise.ts';
import { dropForbiddenReferences, type DroppedReference } from './xml-forbidden-references.ts';
import { SAGE_LIMITS } from './field-rules.ts';
import { decodeXml, XmlEncodingError } from './xml-text-decoder.ts';

/**
 * Reads a Sage 50 customer export in Zynk's Company/Customers/Customer XML (seed 002), streaming:
 * any subset of the documented fields, one record at a time. External entities are never
 * resolved and a DOCTYPE (the carrier of entity tricks such as "billion laughs") is refused.
 * Character references to characters XML 1.0 forbids (Zynk's exports carry `&#x0;` in memos) are
 * dropped with a warning naming the record, instead of refusing the whole file.
 */

export interface SageCustomerRecord {
  /** Line of the <Customer> element, for messages. */
  line: number;
  /** AccountReference, trimmed; null when the record has none. */
  accountReference: string | null;
  companyName: string | null;
  /** Contact name from the invoice address, when given. */
  contactName: string | null;
  /** Normalised values of every Email…Email6 field; null when the record has no email fields at all. */
  emails: string[] | null;
  /** The record's fields (nested blocks as objects), bank details left out. */
  details: Record<string, unknown>;
  /** What was changed to read the record (a forbidden character reference dropped), for a person. */
  warnings: string[];
  /** The first field longer than Sage allows ("CompanyName is 49000000 characters; Sage allows 60"): the record is refused. */
  tooLong: string | null;
}

export interface CustomerExportRead {
  customers: number;
  /** Problems outside any Customer record that did not stop the file being read. */
  warnings: string[];
}

export class CustomerExportError extends Error {
  constructor(
    readonly problem: string,
    readonly line: number | null,
    readonly column: number | null,
  ) {
    super(line === null ? problem : `line ${line}, column ${column}: ${problem}`);
    this.name = 'CustomerExportError';
  }
}

const EMAIL_FIELD = /^Email[2-6]?$/;
// A Customer nests three levels at most (Customer > Banks > Bank > field); a record's details are
// kept as nested objects, and a hostile file nesting thousands deep would exhaust the stack later.
const MAX_NESTING = 32;
// Bank details are not needed to allocate orders and are not kept.
const SKIPPED_BLOCKS = new Set(['Banks']);

interface Frame {
  name: string;
  text: string;
  /** Characters of text seen; only the first few past the field's limit are kept. */
  length: number;
  children: Record<string, unknown> | null;
  nil: boolean;
}

/**
 * Sage 50's lengths for the customer fields the mirror keeps and shows (Zynk's Customer schema);
 * a field not listed is held to MAX_OTHER_FIELD. Longer is not a Sage export: the record is refused.
 */
const FIELD_LIMITS = new Map<string, number>([
  ['AccountReference', SAGE_LIMITS.accountReference],
  ['CompanyName', SAGE_LIMITS.companyName],
  ['Company', SAGE_LIMITS.companyName],
  ['Title', SAGE_LIMITS.contactName],
  ['Forename', SAGE_LIMITS.contactName],
  ['Surname', SAGE_LIMITS.contactName],
  ['ContactName', SAGE_LIMITS.contactName],
  ['TradeContact', SAGE_LIMITS.contactName],
  ['Address1', SAGE_LIMITS.addressLine],
  ['Address2', SAGE_LIMITS.addressLine],
  ['Address3', SAGE_LIMITS.addressLine],
  ['Address4', SAGE_LIMITS.addressLine],
  ['Address5', SAGE_LIMITS.addressLine],
  ['Town', SAGE_LIMITS.addressLine],
  ['County', SAGE_LIMITS.addressLine],
  ['Postcode', SAGE_LIMITS.addressLine],
  ['Telephone', SAGE_LIMITS.telephone],
  ['Telephone2', SAGE_LIMITS.telephone],
  ['Fax', SAGE_LIMITS.telephone],
  ['Mobile', SAGE_LIMITS.telephone],
]);
const MAX_OTHER_FIELD = 1000;

function limitOf(name: string): number {
  return FIELD_LIMITS.get(name) ?? (EMAIL_FIELD.test(name) ? SAGE_LIMITS.email : MAX_OTHER_FIELD);
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

export async function readCustomerExport(
  source: AsyncIterable<Uint8Array | string>,
  onCustomer: (record: SageCustomerRecord) => void | Promise<void>,
): Promise<CustomerExportRead> {
  // saxes tracks line and column by default.
  const parser = new SaxesParser();
  // Dropped references in line order; each is claimed by the record whose lines hold it.
  const dropped: DroppedReference[] = [];
  const fileWarnings: string[] = [];
  const describeDrop = (drop: DroppedReference) =>
    `line ${drop.line}: character reference ${drop.reference} dropped (a character XML 1.0 forbids)`;
  const claimDrops = (from: number, to: number): string[] => {
    const mine: string[] = [];
    while (dropped.length > 0 && dropped[0]!.line <= to) {
      const drop = dropped.shift()!;
      if (drop.line >= from) mine.push(describeDrop(drop));
      else fileWarnings.push(describeDrop(drop));
    }
    return mine;
  };
  const ready: SageCustomerRecord[] = [];
  const path: string[] = [];
  let frames: Frame[] = []; // open elements inside the current <Customer>
  let record: { line: number; emails: string[] | null; tooLong: string | null } | null = null;
  let skipping = 0;
  let rootSeen = false;
  let customers = 0;

  const fail = (problem: string): never => {
    throw new CustomerExportError(problem, parser.line, parser.column);
  };
  parser.on('error', (err) => {
    throw new CustomerExportError(err.message.replace(/^\d+:\d+: /, '').replace(/\.$/, ''), parser.line, parser.column);
  });
  parser.on('doctype', () => fail('the file has a DOCTYPE declaration; Sage customer exports have none, and it is refused for safety'));
  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    if (!rootSeen) {
      rootSeen = true;
      if (name !== 'Company') fail(`the root element is <${tag.name}>; a Sage customer export starts with <Company>`);
    }
    path.push(name);
    if (record) {
      if (skipping > 0 || SKIPPED_BLOCKS.has(name)) {
        skipping++;
        return;
      }
      if (frames.length >= MAX_NESTING)
        fail(`elements are nested more than ${MAX_NESTING} deep inside a <Customer>; a Sage customer export nests a few levels`);
      const nil = Object.entries(tag.attributes).some(([key, value]) => localName(key) === 'nil' && value === 'true');
      const parent = frames[frames.length - 1];
      if (parent && parent.children === null) parent.children = {};
      frames.push({ name, text: '', length: 0, children: null, nil });
      if (EMAIL_FIELD.test(name)) record.emails ??= [];
    } else if (name === 'Customer' && path.length === 3 && path[1] === 'Customers') {
      record = { line: parser.line, emails: null, tooLong: null };
      frames = [{ name, text: '', length: 0, children: {}, nil: false }];
    }
  });
  const onText = (text: string) => {
    if (!record || skipping > 0) return;
    const frame = frames[frames.length - 1]!; // a record always has its Customer frame open
    // Kept up to twice the limit (surrounding whitespace is trimmed later); the rest only counted.
    // saxes hands over a text node whole; a field gets several pieces around CDATA or comments.
    const room = 2 * limitOf(frame.name) + 64 - frame.text.length;
    frame.text += text.slice(0, room);
    frame.length += text.length;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    path.pop();
    if (!record) return;
    if (skipping > 0) {
      skipping--;
      return;
    }
    const frame = frames.pop()!;
    const value = frame.children ?? (frame.nil ? null : frame.text.trim());
    const parent = frames[frames.length - 1];
    if (typeof value === 'string' && value.length > limitOf(frame.name) && !record.tooLong) {
      const length = frame.length > frame.text.length ? frame.length : value.length;
      record.tooLong = `${[...frames.slice(1).map((f) => f.name), frame.name].join('/')} is ${length} characters; Sage allows ${limitOf(frame.name)}`;
    }
    if (parent) {
      // An element named like __proto__ is a field like any other, never the object's prototype.
      Object.defineProperty(parent.children!, frame.name, { value, enumerable: true, writable: true, configurable: true });
      if (EMAIL_FIELD.test(frame.name) && typeof value === 'string' && value) record.emails!.push(normaliseEmail(value));
      return;
    }
    ready.push(toRecord(record.line, frame.children ?? {}, record.emails, claimDrops(record.line, parser.line), record.tooLong));
    record = null;
  });

  const drain = async () => {
    for (const item of ready.splice(0)) {
      customers++;
      await onCustomer(item);
    }
  };
  try {
    for await (const text of dropForbiddenReferences(decodeXml(source), (drop) => dropped.push(drop))) {
      parser.write(text);
      await drain();
    }
    parser.close();
    await drain();
  } catch (err) {
    if (err instanceof XmlEncodingError) throw new CustomerExportError(err.message, null, null);
    throw err;
  }
  claimDrops(Infinity, Infinity);
  return { customers, warnings: fileWarnings };
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function toRecord(
  line: number,
  fields: Record<string, unknown>,
  emails: string[] | null,
  drops: string[],
  tooLong: string | null,
): SageCustomerRecord {
  const invoice = (fields.CustomerInvoiceAddress ?? {}) as Record<string, unknown>;
  const contact = [invoice.Forename, invoice.Surname].map(text).filter(Boolean).join(' ');
  const accountReference = text(fields.AccountReference);
  const subject = accountReference ? `customer ${JSON.stringify(accountReference)} (line ${line})` : `the customer at line ${line}`;
  return {
    line,
    accountReference,
    companyName: text(fields.CompanyName),
    contactName: contact || null,
    emails: emails ? [...new Set(emails)] : null,
    details: fields,
    warnings: drops.map((drop) => `${subject}: ${drop}`),
    tooLong,
  };
}

/** Reads an export file from disk. */
export async function readCustomerExportFile(
  file: string,
  onCustomer: (record: SageCustomerRecord) => void | Promise<void>,
): Promise<CustomerExportRead> {
  return readCustomerExport(fs.createReadStream(file, { highWaterMark: 256 * 1024 }), onCustomer);
}
