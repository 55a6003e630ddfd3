import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charLength, decodeEntities, quoted, removeXmlForbidden, singleLine, splitIntoChunks, truncateChars } from './text.ts';

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
    expect(quoted('X'.repeat(60))).toBe(`"${'X'.repeat(60)}"`);
    expect(quoted('😀'.repeat(61), 60)).toBe(`"${'😀'.repeat(60)}…"`);
  });

  it('when text is shortened, then characters are counted as people count them and pairs are never split', () => {
    expect(charLength('😀😀')).toBe(2);
    expect(truncateChars('😀😀😀', 2)).toBe('😀😀');
    expect(truncateChars('abc  d', 5)).toBe('abc');
  });

  it('when text fits, then it is kept exactly as it is, trailing spaces included', () => {
    expect(truncateChars('ab  ', 10)).toBe('ab  ');
    expect(truncateChars('ab ', 3)).toBe('ab ');
  });

  it('when text runs over several lines, then it becomes one line with single spaces and no spaces at its ends', () => {
    expect(singleLine('  Leave at\n\n  the back\tdoor \r\n')).toBe('Leave at the back door');
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

  it('when a word ends exactly at the limit, then the chunk is full; a space at half the limit or before is no place to break', () => {
    expect(splitIntoChunks('aaaaaa bbb cc', 10, 3).chunks).toEqual(['aaaaaa bbb', 'cc']);
    expect(splitIntoChunks('aaaaa bbbbbbbbbbb', 10, 3).chunks).toEqual(['aaaaa bbbb', 'bbbbbbb']);
    expect(splitIntoChunks('aaaaaa bbb', 10, 3).chunks).toEqual(['aaaaaa bbb']);
    expect(splitIntoChunks('x'.repeat(25), 10, 3)).toEqual({ chunks: ['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)], truncated: false });
  });

  it('when any text is split, then chunks fit, never start or end with a space, and keep every character in order', () => {
    const text = fc.array(fc.constantFrom('a', 'b', ' ', '\n', '😀'), { maxLength: 80 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 4 }), (value, max, count) => {
        const { chunks, truncated } = splitIntoChunks(value, max, count);
        expect(chunks.length).toBeLessThanOrEqual(count);
        for (const chunk of chunks) {
          expect(charLength(chunk)).toBeGreaterThan(0);
          expect(charLength(chunk)).toBeLessThanOrEqual(max);
          expect(chunk).toBe(chunk.trim());
        }
        const kept = chunks.join('').replaceAll(' ', '');
        const all = singleLine(value).replaceAll(' ', '');
        if (truncated) expect(all.startsWith(kept) && kept.length < all.length).toBe(true);
        else expect(kept).toBe(all);
      }),
      { numRuns: 500 },
    );
  });
});
