import type { AccountCodePattern } from './types.ts';

/**
 * New Sage account codes: an upper-case A–Z/0–9 stem from the buyer's company, else surname and
 * forename, else the email's local part, plus the lowest free number ("HARRIS01", "HARRIS02", …),
 * never longer than Sage's 8 characters. The stem is shortened to make room for a longer number
 * ("HARRI100") rather than ever exceeding 8.
 */

export const MAX_ACCOUNT_CODE_LENGTH = 8;
const MIN_NUMBER_WIDTH = 2;
const FALLBACK_STEM = 'CUST';
// Far beyond any shop; only bounds the search when a custom pattern rejects every form.
const MAX_NUMBER = 9_999_999;

/** "Zoë O'Brien-Smith & Co." → "ZOEOBRIENSMITHCO": accents dropped, ß → SS, everything else removed. */
export function toCodeAlphabet(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

export interface StemSources {
  company: string;
  surname: string;
  forename: string;
  email: string;
}

export function codeStem(sources: StemSources): { stem: string; source: 'company' | 'name' | 'email' | 'fallback' } {
  const company = toCodeAlphabet(sources.company);
  if (company) return { stem: company.slice(0, MAX_ACCOUNT_CODE_LENGTH), source: 'company' };
  const name = toCodeAlphabet(sources.surname + sources.forename);
  if (name) return { stem: name.slice(0, MAX_ACCOUNT_CODE_LENGTH), source: 'name' };
  const local = toCodeAlphabet(sources.email.split('@')[0] ?? '');
  if (local) return { stem: local.slice(0, MAX_ACCOUNT_CODE_LENGTH), source: 'email' };
  return { stem: FALLBACK_STEM, source: 'fallback' };
}

export interface ProposedCode {
  code: string;
  /** The part of the stem the code starts with ("HARRIS" in HARRIS07, "HARRI" in HARRI100). */
  prefix: string;
  number: number;
}

/**
 * The code for number `n`: the longest stem prefix that fits beside the number, preferring the
 * shortest number width; among those forms the first the shop's pattern accepts, if any.
 */
export function codeForNumber(stem: string, n: number, pattern: AccountCodePattern): ProposedCode | null {
  const digits = String(n);
  for (let width = Math.max(MIN_NUMBER_WIDTH, digits.length); width < MAX_ACCOUNT_CODE_LENGTH; width++) {
    for (let length = Math.min(stem.length, MAX_ACCOUNT_CODE_LENGTH - width); length >= 1; length--) {
      const prefix = stem.slice(0, length);
      const code = prefix + digits.padStart(width, '0');
      if (pattern.test(code)) return { code, prefix, number: n };
    }
  }
  return null;
}

/**
 * The lowest-numbered free code for the stem, or null when the pattern admits none (or all are
 * taken). Taken codes are skipped, never reused, so a code never points at two buyers.
 */
export function proposeAccountCode(stem: string, pattern: AccountCodePattern, isTaken: (code: string) => boolean): ProposedCode | null {
  for (let n = 1; n <= MAX_NUMBER; n++) {
    const candidate = codeForNumber(stem, n, pattern);
    // No form of this number fits the pattern; larger numbers are longer and will not fit either.
    if (!candidate) return null;
    if (!isTaken(candidate.code)) return candidate;
  }
  return null;
}
