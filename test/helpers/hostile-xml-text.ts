import fc from 'fast-check';

/**
 * Hostile pieces of text for an XML writer: markup characters, quotes, CR/LF/tab, astral
 * characters, what looks like a reference ("&amp;", "AT&T;", "&#1;"), and characters XML 1.0
 * forbids (controls, lone surrogates, U+FFFE/U+FFFF: the field rules remove them before a document
 * is written; a writer passes them through as they are).
 */
export const hostileXmlPiece: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '&',
    '<',
    '>',
    '"',
    "'",
    '\r',
    '\n',
    '\t',
    '\r\n',
    ']]>',
    '<![CDATA[x]]>',
    '😀',
    'é',
    'مرحبا',
    '&amp;',
    '&lt;',
    '&gt;',
    '&apos;',
    '&quot;',
    '&AMP;',
    '&amp',
    '&#1;',
    '&#x26;',
    '&nbsp;',
    'AT&T;',
    '\u0000',
    '\u0001',
    '\u001f',
    '\u007f',
    '\ud800',
    '\udc00',
    '\ufffe',
    '\uffff',
  ),
);

/** Text made of up to 8 hostile pieces, or empty. */
export const hostileXmlText: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc.array(hostileXmlPiece, { maxLength: 8 }).map((parts) => parts.join('')),
);

// XML 1.0 §2.2 minus CR, which a parser reads as LF (§2.11): what reads back exactly.
const NOT_READ_BACK = /[^\t\n\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** The text without the characters a parser would not hand back as they are. */
export function readableXmlText(text: string): string {
  return text.replace(NOT_READ_BACK, '');
}
