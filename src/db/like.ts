/**
 * LIKE patterns from user text, with `!` as the escape character: SQLite has no default escape
 * character, and MySQL reads a backslash in a literal as an escape of its own. Every query using
 * these patterns must say `ESCAPE '!'`.
 */
export function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, '!$&');
}

/** `%text%`, trimmed and lower-cased, for a case-insensitive "contains" search. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text.trim().toLowerCase())}%`;
}
