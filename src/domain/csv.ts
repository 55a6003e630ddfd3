/**
 * CSV that opens cleanly in Excel and LibreOffice: RFC 4180 quoting, CRLF line ends, and (for a
 * whole file) a UTF-8 byte order mark, without which Excel reads UTF-8 as the local code page.
 * Pure, so the server (CLI) and the page write the same files.
 */
export const UTF8_BOM = '\uFEFF';

/** A number to write as a number (e.g. an amount "-12.34"): only digits, a sign and a point, so never a formula. */
export interface CsvNumber {
  readonly csvNumber: string;
}

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export function csvNumber(text: string): CsvNumber {
  if (!PLAIN_NUMBER.test(text)) throw new RangeError(`${JSON.stringify(text)} is not a plain number`);
  return { csvNumber: text };
}

function isCsvNumber(value: unknown): value is CsvNumber {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as CsvNumber).csvNumber === 'string' &&
    PLAIN_NUMBER.test((value as CsvNumber).csvNumber)
  );
}

/**
 * One cell. Spreadsheet programs run a cell starting with `=`, `+`, `-`, `@` (or a tab or carriage
 * return before one) as a formula: such text is prefixed with `'` so it stays text. Whole numbers
 * and csvNumber amounts are written as numbers (a negative amount is not a formula).
 */
export function csvCell(value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (isCsvNumber(value)) return value.csvNumber;
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV lines, each ended by CRLF. */
export function csvLines(rows: ReadonlyArray<readonly unknown[]>): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A whole CSV file: byte order mark, then the rows. */
export function csvFile(rows: ReadonlyArray<readonly unknown[]>): string {
  return UTF8_BOM + csvLines(rows);
}
