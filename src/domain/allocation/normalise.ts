import { createHash } from 'node:crypto';

/** Trimmed, Unicode-normalised, case-folded: the form every email is stored and compared in. */
export function normaliseEmail(raw: string | null | undefined): string {
  return (raw ?? '').trim().normalize('NFC').toLowerCase();
}

/** A deliberately loose check: one @, something on each side, a dot in the domain, no spaces. */
export function isPlausibleEmail(email: string): boolean {
  return email.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);
}

/** Sage account references are upper-case; surrounding spaces are a typing slip, not part of the code. */
export function normaliseAccountCode(raw: string): string {
  return raw.trim().toUpperCase();
}

// owner_key is a 191-character unique column (utf8mb4 index limit); very long emails are hashed.
const OWNER_KEY_MAX = 191;

export function customerOwnerKey(customerId: number): string {
  return `customer:${customerId}`;
}

export function guestOwnerKey(normalisedEmail: string): string {
  const key = `guest:${normalisedEmail}`;
  if (key.length <= OWNER_KEY_MAX) return key;
  return `guest-sha256:${createHash('sha256').update(normalisedEmail).digest('hex')}`;
}
