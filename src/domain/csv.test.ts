import { describe, expect, it } from 'vitest';
import { csvCell, csvFile, csvNumber } from './csv.ts';

describe('csv', () => {
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['Baker, "Jo"', '"Baker, ""Jo"""'],
    ['plain', 'plain'],
  ])('when a cell is %j, then it is written as text that no spreadsheet runs: %s', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it('when an amount is negative, then it is written as a number; anything but a plain number is refused', () => {
    expect(csvCell(csvNumber('-12.34'))).toBe('-12.34');
    expect(csvCell(-5)).toBe('-5');
    expect(() => csvNumber('-1+cmd')).toThrow(RangeError);
    expect(csvCell({ csvNumber: '=1+1' })).toBe('[object Object]');
    expect(csvCell({ csvNumber: 12 })).toBe('[object Object]');
    expect(() => csvNumber('1e3')).toThrow(new RangeError('"1e3" is not a plain number'));
  });

  it('when a number is not a whole one, then it is written as text, a negative one neutralised; nothing is an empty cell', () => {
    expect(csvCell(1.5)).toBe('1.5');
    expect(csvCell(-1.5)).toBe("'-1.5");
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(null)).toBe('');
  });

  it('when a file is written, then it starts with a byte order mark and every line ends with CRLF', () => {
    expect(
      csvFile([
        ['a', 'b'],
        [1, null],
      ]),
    ).toBe('\uFEFFa,b\r\n1,\r\n');
  });
});
