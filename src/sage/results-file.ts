import { ValidationError } from '../domain/errors.ts';
import { CsvRecordReader } from './csv-records.ts';
import { childElement, childElements, childText, parseXmlTree, XmlParseError, type XmlElement } from './xml-tree.ts';

export type ResultOutcome = 'imported' | 'failed';

/** One document's fate in Sage, as the importer reported it. */
export interface ImportResult {
  /** Known from the file's section (Customers / SalesOrders / Invoices); null in a CSV without a kind column. */
  kind: 'customer' | 'sales_order' | 'credit_note' | null;
  /** The document's <Id>: the WooCommerce order id, "customer-42", "guest-ann@example.com". */
  documentId: string;
  outcome: ResultOutcome;
  message: string;
}

export interface ParsedResults {
  format: 'zynk-xml' | 'csv';
  results: ImportResult[];
  /** Records that could not be read (no Id, unknown status), each naming the line or record. */
  problems: string[];
}

/**
 * Reads an importer's result file, and refuses anything else: applying a file that is not one
 * (a Company document woo-sage delivered, say) would mark every order in it imported.
 * - Zynk's success / fail files: a Company document echoing each imported record with an `Errors`
 *   element (`<Errors />` when it went in; `<Error><Name/><Description/></Error>` entries when it
 *   failed). Records with errors are failed, the others imported; `outcome` overrides that for a
 *   file known to be all successes or all failures, whose records may carry no `Errors` at all.
 *   A record Zynk skipped because Prevent Duplicates found its Id already imported is written to
 *   the fail file, but Sage has it: it is imported, with the importer's note as its message.
 * - CSV with a header: `Id,Status[,Message][,Kind]`; Status imported|success|ok or failed|error.
 */
export function parseResultsFile(text: string, options: { outcome?: ResultOutcome } = {}): ParsedResults {
  // trim() drops a byte-order mark too; an empty CSV is refused by the CSV reader.
  const trimmed = text.trim();
  const parsed = trimmed.startsWith('<') ? parseZynkXml(trimmed, options.outcome) : parseCsv(trimmed, options.outcome);
  if (parsed.results.length === 0) {
    const why = parsed.problems[0] ?? 'it has no records';
    throw new ValidationError(`the results file has no record that can be applied (${why}); nothing was changed`);
  }
  return parsed;
}

// Zynk's words for a record Prevent Duplicates skipped: its Id is in Zynk's truth store already.
const SKIPPED_DUPLICATE = /duplicate|already (?:been )?(?:imported|processed)/i;

/**
 * A sales order or credit note the importer skipped as already imported: in the fail file, but in
 * Sage. Not a customer: Zynk's Import Customers task has no Prevent Duplicates, and "already
 * exists" there can mean another customer holds the account code.
 */
export function isSkippedDuplicate(kind: ImportResult['kind'], message: string): boolean {
  return kind !== 'customer' && SKIPPED_DUPLICATE.test(message);
}

const SECTIONS: Array<[string, string, ImportResult['kind']]> = [
  ['Customers', 'Customer', 'customer'],
  ['SalesOrders', 'SalesOrder', 'sales_order'],
  ['Invoices', 'Invoice', 'credit_note'],
];

function parseZynkXml(text: string, forced: ResultOutcome | undefined): ParsedResults {
  let root: XmlElement;
  try {
    root = parseXmlTree(text);
  } catch (err) {
    // parseXmlTree fails only with an XmlParseError, whatever saxes threw.
    throw new ValidationError(`the results file is ${(err as XmlParseError).message}`);
  }
  if (root.name !== 'Company')
    throw new ValidationError(`the results file's root element is <${root.name}>; expected a Zynk <Company> document`);
  const records = SECTIONS.flatMap(([section, element, kind]) =>
    childElements(childElement(root, section), element).map((record, i) => ({ record, kind, where: `${section}/${element}[${i + 1}]` })),
  );
  if (records.length === 0)
    throw new ValidationError('the results file has no Customers/Customer, SalesOrders/SalesOrder or Invoices/Invoice records');
  const withoutErrors = records.filter(({ record }) => !childElement(record, 'Errors'));
  if (!forced && withoutErrors.length > 0) {
    throw new ValidationError(
      `the file is not an importer's results file: ${withoutErrors.length} of its ${records.length} records carry no <Errors> element, which every record of a Zynk success or fail file has (is it a document woo-sage delivered?); nothing was changed. For a Zynk file without them, say which it is with --outcome imported or --outcome failed`,
    );
  }
  const results: ImportResult[] = [];
  const problems: string[] = [];
  for (const { record, kind, where } of records) {
    const documentId = childText(record, 'Id');
    if (!documentId) {
      problems.push(`${where} has no Id`);
      continue;
    }
    const errors = childElements(childElement(record, 'Errors'), 'Error').map(describeError).filter(Boolean);
    const note = errors.join('; ');
    if (isSkippedDuplicate(kind, note)) {
      results.push({ kind, documentId, outcome: 'imported', message: `already in Sage (skipped by the importer as a duplicate: ${note})` });
      continue;
    }
    const outcome = forced ?? (errors.length > 0 ? 'failed' : 'imported');
    const number = childText(record, kind === 'credit_note' ? 'InvoiceNumber' : 'SalesOrderNumber');
    const what = kind === 'credit_note' ? 'credit note' : 'sales order';
    const message =
      errors.length > 0
        ? note
        : outcome === 'failed'
          ? "in the importer's fail file without an error: if Zynk skipped it as a duplicate (Prevent Duplicates), Sage has it; check and mark it imported"
          : number
            ? `Sage ${what} ${number}`
            : '';
    results.push({ kind, documentId, outcome, message });
  }
  return { format: 'zynk-xml', results, problems };
}

function describeError(error: XmlElement): string {
  const name = childText(error, 'Name');
  const description = childText(error, 'Description') || childText(error, 'Message');
  if (name || description) return [name, description].filter(Boolean).join(': ');
  return error.text.trim();
}

const IMPORTED = new Set(['imported', 'success', 'succeeded', 'ok', 'true']);
const FAILED = new Set(['failed', 'fail', 'failure', 'error', 'false']);

/** Problems kept per file: a file of a million bad lines says so without a million messages. */
const MAX_PROBLEMS = 100;

/**
 * Builds the results of a CSV from its records as they are read: the first is the header
 * (Id, Status, Message, Kind in any order and case), every other one a document's result.
 */
function csvResults(forced: ResultOutcome | undefined): { reader: CsvRecordReader; finish(): ParsedResults } {
  const results: ImportResult[] = [];
  const problems: string[] = [];
  let dropped = 0;
  const problem = (message: string) => (problems.length < MAX_PROBLEMS ? problems.push(message) : (dropped += 1));
  let columns: { id: number; status: number; message: number; kind: number } | undefined;
  const reader = new CsvRecordReader({
    problem,
    record(row, line) {
      if (!columns) {
        const header = row.map((h) => h.trim().toLowerCase());
        const column = (...names: string[]) => header.findIndex((h) => names.includes(h));
        columns = {
          id: column('id', 'documentid', 'document id'),
          status: column('status', 'outcome', 'result'),
          message: column('message', 'error', 'description'),
          kind: column('kind', 'type'),
        };
        if (columns.id < 0 || (columns.status < 0 && !forced)) {
          throw new ValidationError(`the results CSV needs a header with Id and Status columns (got "${header.join(',').slice(0, 200)}")`);
        }
        return;
      }
      const result = csvResult(row, line, columns, forced);
      if (typeof result === 'string') problem(result);
      else if (result) results.push(result);
    },
  });
  return {
    reader,
    finish() {
      reader.end();
      if (!columns) throw new ValidationError('the results file is empty');
      if (dropped > 0) problems.push(`… and ${dropped} more problems`);
      return { format: 'csv', results, problems };
    },
  };
}

/** One CSV record's result, a problem naming its line, or null for a blank line. */
function csvResult(
  row: string[],
  line: number,
  columns: { id: number; status: number; message: number; kind: number },
  forced: ResultOutcome | undefined,
): ImportResult | string | null {
  if (row.every((cell) => !cell.trim())) return null;
  const documentId = (row[columns.id] ?? '').trim();
  if (!documentId) return `line ${line}: no Id`;
  if (documentId.length > 255) return `line ${line}: Id is ${documentId.length} characters; a document Id is at most 255`;
  const statusText = row[columns.status] ?? '';
  const status = statusText.trim().toLowerCase();
  const outcome: ResultOutcome | undefined = forced ?? (IMPORTED.has(status) ? 'imported' : FAILED.has(status) ? 'failed' : undefined);
  if (!outcome) return `line ${line}: status "${statusText.slice(0, 60)}" is not imported or failed`;
  // "Sales Order", "sales_order", "sales-order" and "SalesOrder" all read as "salesorder".
  // A missing column is index -1: no cell, like a short row.
  const kindText = (row[columns.kind] ?? '').toLowerCase().replace(/[\s_-]/g, '');
  const kind =
    kindText === 'customer'
      ? 'customer'
      : kindText === 'salesorder'
        ? 'sales_order'
        : kindText === 'creditnote' || kindText === 'invoice'
          ? 'credit_note'
          : null;
  return { kind, documentId, outcome, message: (row[columns.message] ?? '').trim() };
}

function parseCsv(text: string, forced: ResultOutcome | undefined): ParsedResults {
  const csv = csvResults(forced);
  csv.reader.push(text);
  return csv.finish();
}

/**
 * Reads a result file chunk by chunk: a CSV is parsed as it streams (memory stays bounded by
 * the results, whatever the file holds); a Zynk XML file, a Company document, is read whole.
 */
export async function parseResultsStream(chunks: AsyncIterable<string>, options: { outcome?: ResultOutcome } = {}): Promise<ParsedResults> {
  const iterator = chunks[Symbol.asyncIterator]();
  try {
    let head = '';
    let first: string | undefined;
    while (first === undefined) {
      const next = await iterator.next();
      if (next.done) break;
      head += next.value;
      first = /[^\s\uFEFF]/.exec(head)?.[0];
    }
    if (first === undefined) throw new ValidationError('the results file is empty');
    if (first === '<') {
      let text = head;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) text += next.value;
      return parseResultsFile(text, options);
    }
    const csv = csvResults(options.outcome);
    csv.reader.push(head.replace(/^\uFEFF/, ''));
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) csv.reader.push(next.value);
    return csv.finish();
  } finally {
    // Closes the file when the reading stopped early (a refused header).
    await iterator.return?.();
  }
}
