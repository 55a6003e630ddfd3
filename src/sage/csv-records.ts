/**
 * RFC 4180 records (commas, double-quoted fields with "" escapes and line breaks inside quotes),
 * read chunk by chunk so a file of any size is never held whole. A field is kept up to
 * `maxField` characters: beyond that the record is refused, and the rest of the field is skipped,
 * not stored — a quote that is never closed (the whole rest of a 50 MB file in one field) costs
 * no memory.
 */
export const MAX_CSV_FIELD = 10_000;

export interface CsvRecordHandlers {
  /** A complete record and the line it starts on (1-based). */
  record(cells: string[], line: number): void;
  /** A record that cannot be read, naming its line. */
  problem(message: string): void;
}

export class CsvRecordReader {
  private cells: string[] = [];
  private field = '';
  private fieldLength = 0;
  private quoted = false;
  /** A quote inside a quoted field: the end of the field, or the first half of "". */
  private quoteInQuoted = false;
  private afterCR = false;
  private line = 1;
  private recordLine = 1;
  private overlong = false;

  constructor(
    private readonly handlers: CsvRecordHandlers,
    private readonly maxField = MAX_CSV_FIELD,
  ) {}

  push(chunk: string): void {
    for (let i = 0; i < chunk.length; i += 1) this.take(chunk[i]!);
  }

  /** The end of the input: the last record, or the problem of a quote never closed. */
  end(): void {
    if (this.quoted && !this.quoteInQuoted) {
      this.handlers.problem(`line ${this.recordLine}: a quoted field is never closed (the rest of the file was not read as records)`);
      return;
    }
    this.quoted = false;
    this.quoteInQuoted = false;
    if (this.cells.length > 0 || this.fieldLength > 0) this.finishRecord();
  }

  private take(ch: string): void {
    if (this.afterCR) {
      this.afterCR = false;
      if (ch === '\n') return;
    }
    if (this.quoteInQuoted) {
      this.quoteInQuoted = false;
      if (ch === '"') return this.append('"');
      this.quoted = false; // the quote closed the field; this character is read outside quotes
    }
    if (this.quoted) {
      if (ch === '"') this.quoteInQuoted = true;
      else {
        if (ch === '\n') this.line += 1;
        this.append(ch);
      }
      return;
    }
    if (ch === '"') this.quoted = true;
    else if (ch === ',') this.finishField();
    else if (ch === '\n' || ch === '\r') {
      this.afterCR = ch === '\r';
      this.finishRecord();
      this.line += 1;
      this.recordLine = this.line;
    } else this.append(ch);
  }

  private append(ch: string): void {
    this.fieldLength += 1;
    if (this.fieldLength <= this.maxField) this.field += ch;
    else this.overlong = true;
  }

  private finishField(): void {
    this.cells.push(this.field);
    this.field = '';
    this.fieldLength = 0;
  }

  private finishRecord(): void {
    this.finishField();
    const cells = this.cells;
    this.cells = [];
    if (this.overlong) {
      this.overlong = false;
      this.handlers.problem(`line ${this.recordLine}: a field is longer than ${this.maxField} characters`);
      return;
    }
    this.handlers.record(cells, this.recordLine);
  }
}
