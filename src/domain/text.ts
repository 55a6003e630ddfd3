import { decodeHTMLStrict } from 'entities';

/**
 * WordPress returns free text HTML-escaped: a `&` typed at checkout comes back as `&amp;`, product
 * names carry `&ndash;` and `&#8217;`. This is the text the person typed. Only references ended by
 * `;` are read (strict), so text a plugin left unescaped ("R&D", "Tom &para") stays as it is.
 * Decode once, where WooCommerce data enters: decoding twice turns a typed "&amp;" into "&".
 */
export function decodeEntities(text: string): string {
  return text.includes('&') ? decodeHTMLStrict(text) : text;
}

// XML 1.0 allows tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD and U+10000–U+10FFFF; everything else
// (other control characters, lone surrogates, U+FFFE/U+FFFF) makes a document unreadable.
const XML_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function removeXmlForbidden(text: string): string {
  return text.replace(XML_FORBIDDEN, '');
}

/** Length in characters as a person counts them (code points), not UTF-16 units. */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** The first `max` characters, never splitting a surrogate pair; trailing spaces trimmed. */
export function truncateChars(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join('').trimEnd();
}

/**
 * A value quoted in a message a person reads (and that is stored as an order's error): at most
 * `max` characters of it, so a 70 KB field value cannot swell a message past its column.
 */
export function quoted(value: string, max = 60): string {
  return charLength(value) <= max ? JSON.stringify(value) : JSON.stringify(`${truncateChars(value, max)}…`);
}

/** Newlines and runs of white space become single spaces: Sage's text fields are one line. */
export function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Splits text into at most `count` chunks of `max` characters, breaking at spaces where it can.
 * Returns the chunks and whether text was left over.
 */
export function splitIntoChunks(text: string, max: number, count: number): { chunks: string[]; truncated: boolean } {
  const chunks: string[] = [];
  let rest = Array.from(singleLine(text));
  while (rest.length > 0 && chunks.length < count) {
    if (rest.length <= max) {
      chunks.push(rest.join(''));
      rest = [];
      break;
    }
    const window = rest.slice(0, max + 1);
    const space = window.lastIndexOf(' ');
    const cut = space > max / 2 ? space : max;
    chunks.push(rest.slice(0, cut).join('').trimEnd());
    rest = rest.slice(cut);
    while (rest[0] === ' ') rest.shift();
  }
  return { chunks, truncated: rest.length > 0 };
}
