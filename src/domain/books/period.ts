import { ValidationError } from '../errors.ts';

/** The books asked for: a period of the shop's local days, and optionally one currency. */
export interface BooksRequest {
  from?: string;
  to?: string;
  currency?: string;
}

/** A filled-in period is listed day by day, so it is bounded: ten years. */
export const MAX_BOOKS_DAYS = 3660;

function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const at = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === text;
}

/**
 * Checks what was asked for: each date a real YYYY-MM-DD day, `from` not after `to`, at most
 * MAX_BOOKS_DAYS days, a three-letter currency. Every problem is named, with the value given.
 */
export function checkBooksRequest(request: BooksRequest): BooksRequest {
  const problems: string[] = [];
  for (const key of ['from', 'to'] as const) {
    const value = request[key];
    if (value !== undefined && !isCalendarDay(value))
      problems.push(`${key}: ${JSON.stringify(value.slice(0, 40))} is not a date (YYYY-MM-DD)`);
  }
  const currency = request.currency?.trim().toUpperCase();
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency))
    problems.push(`currency: ${JSON.stringify(request.currency!.slice(0, 40))} is not a currency code such as GBP`);
  if (problems.length === 0 && request.from && request.to) {
    const days = (Date.parse(`${request.to}T00:00:00Z`) - Date.parse(`${request.from}T00:00:00Z`)) / 86_400_000 + 1;
    if (days < 1) problems.push(`from: ${request.from} is after to: ${request.to}`);
    else if (days > MAX_BOOKS_DAYS)
      problems.push(`from ${request.from} to ${request.to} is ${days} days; at most ${MAX_BOOKS_DAYS} at a time`);
  }
  if (problems.length > 0) throw new ValidationError(problems.join('; '), { problems });
  return { from: request.from, to: request.to, ...(currency ? { currency } : {}) };
}
