import { describe, expect, it } from 'vitest';
import { buildReport, finding, formatReport, shopText } from './findings.ts';

const at = new Date('2026-12-03T12:00:00Z');

describe('check findings', () => {
  it.each([
    [['ok', 'info', 'warn'], 'ready', 0],
    [['ok', 'fail', 'warn'], 'not_ready', 1],
    [['fail', 'fatal'], 'unusable', 2],
  ] as const)('when the findings are %j, then the shop is %s (exit %i)', (levels, status, exitCode) => {
    const report = buildReport(
      'https://shop.example.com',
      levels.map((l, i) => finding(`f${i}`, l, `finding ${i}`)),
      at,
    );
    expect(report).toMatchObject({ status, exitCode, checkedAt: '2026-12-03T12:00:00.000Z' });
  });

  it('when a report is printed, then each finding is one line with its fix, and the verdict follows', () => {
    const report = buildReport(
      null,
      [finding('a', 'ok', 'the store answers'), finding('b', 'fail', 'tax rate 4 has no code', 'map it'), finding('c', 'warn', 'w', 'x')],
      at,
    );
    expect(formatReport(report).split('\n')).toEqual([
      'ok     the store answers',
      'FAIL   tax rate 4 has no code. Fix: map it',
      'warn   w. Fix: x',
      'not ready: 1 problem to fix first (1 warning)',
    ]);
  });

  it('when the store sends hostile text, then it is decoded once, kept on one line without control characters, and cut short', () => {
    expect(shopText('Irish VAT &amp; more\n\u001b[31mred\u0007')).toBe('Irish VAT & more [31mred');
    expect(shopText('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(shopText({ toString: () => 'no' })).toBe('');
    expect(shopText(undefined)).toBe('');
  });
});
