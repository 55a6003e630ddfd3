import { charLength, quoted, removeXmlForbidden, singleLine, truncateChars } from '../domain/text.ts';

/** Why a document cannot be written: names the field and the value so a person can fix it. */
export interface DocumentHold {
  code: string;
  message: string;
  field?: string;
  value?: string;
}

/**
 * Field lengths from Zynk's Sage 50 UK schema (no XSD is published; the field tables are the
 * schema). Codes are never shortened: a shortened code is another code.
 */
export const SAGE_LIMITS = {
  id: 255,
  accountReference: 8,
  companyName: 60,
  customerOrderNumber: 60,
  currency: 3,
  notes: 60,
  addressLine: 60,
  contactName: 30,
  country: 2,
  // Sage 50's telephone columns hold 30 characters, on accounts and documents alike (Zynk's
  // sales order table says 60, but Sage keeps 30).
  telephone: 30,
  email: 255,
  sku: 30,
  itemName: 60,
  nominalCode: 8,
  paymentRef: 30,
  bankAccount: 8,
  takenBy: 60,
} as const;

/**
 * Applies Sage's field rules while a document is built: free text is cleaned (characters XML 1.0
 * forbids removed, one line) and cut to length with a warning; a code that does not fit records a
 * hold. Warnings and the first hold are read once the document is built.
 */
export class FieldRules {
  readonly warnings: string[] = [];
  hold: DocumentHold | null = null;

  constructor(private readonly subject: string) {}

  /** Free text: cleaned, and shortened with a warning when longer than `max`. */
  text(field: string, value: string, max: number): string {
    const clean = singleLine(removeXmlForbidden(value));
    if (charLength(clean) <= max) return clean;
    const cut = truncateChars(clean, max);
    this.warnings.push(`${this.subject}: ${field} shortened to ${max} characters ("${cut}")`);
    return cut;
  }

  /** A code or reference: cleaned but never shortened; too long (or missing when required) holds. */
  code(field: string, value: string, max: number, options: { required?: boolean } = {}): string {
    const clean = singleLine(removeXmlForbidden(value));
    if (options.required && !clean) {
      this.fail('MISSING_FIELD', `${this.subject}: ${field} is empty`, field, value);
    } else if (charLength(clean) > max) {
      this.fail(
        'CODE_TOO_LONG',
        `${this.subject}: ${field} ${quoted(clean)} is ${charLength(clean)} characters; Sage allows ${max} and a code is never shortened`,
        field,
        clean,
      );
    }
    return clean;
  }

  fail(code: string, message: string, field: string, value: string): void {
    this.hold ??= { code, message, field, value };
  }
}
