import { formatMinorUnits } from '../domain/money.ts';

/** A plain-text table: columns padded to their widest cell, no colour, safe for logs and pipes. */
export function table(headers: string[], rows: Array<Array<string | number | null | undefined>>): string {
  const cells = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : String(cell))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

export function money(minor: number | null, currency: string | null): string {
  return minor === null ? '' : `${formatMinorUnits(minor)}${currency ? ` ${currency}` : ''}`;
}

/** Free text in one table cell: one line, bounded. */
export function oneLine(text: string | null, max = 80): string {
  if (!text) return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
