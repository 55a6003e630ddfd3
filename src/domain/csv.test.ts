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
