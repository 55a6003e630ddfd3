import { describe, expect, it } from 'vitest';
import { charLength, decodeEntities, quoted, removeXmlForbidden, splitIntoChunks, truncateChars } from './text.ts';

describe('text rules', () => {
  it('when names carry HTML entities, then they are decoded', () => {
    expect(decodeEntities('Mug &ndash; blue &amp; white &#8217;s &pound;5')).toBe('Mug – blue & white ’s £5');
    expect(decodeEntities('Plain')).toBe('Plain');
  });

  it('when text has characters XML 1.0 forbids, then they are removed and everything else is kept', () => {
    expect(removeXmlForbidden('a\u0000b\u0008c\td\ne\uFFFEf\uD800g😀')).toBe('abc\td\nefg😀');
  });

  it('when a value is quoted in a message, then a long one is cut to its first characters', () => {
    expect(quoted('ABC01')).toBe('"ABC01"');
    expect(quoted('X'.repeat(70_000))).toBe(`"${'X'.repeat(60)}…"`);
    expect(quoted('😀'.repeat(61), 60)).toBe(`"${'😀'.repeat(60)}…"`);
  });

  it('when text is shortened, then characters are counted as people count them and pairs are never split', () => {
    expect(charLength('😀😀')).toBe(2);
    expect(truncateChars('😀😀😀', 2)).toBe('😀😀');
    expect(truncateChars('abc  d', 5)).toBe('abc');
  });

  it('when a note is split over three 60-character fields, then it breaks at spaces and reports what was left out', () => {
    const words = 'lorem ipsum dolor sit amet '.repeat(10);
    const { chunks, truncated } = splitIntoChunks(words, 60, 3);
    expect(chunks).toHaveLength(3);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(60);
    expect(truncated).toBe(true);
    expect(splitIntoChunks('short\nnote', 60, 3)).toEqual({ chunks: ['short note'], truncated: false });
    expect(splitIntoChunks('', 60, 3)).toEqual({ chunks: [], truncated: false });
  });
});
