import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeForNumber, codeStem, proposeAccountCode, toCodeAlphabet } from './account-code.ts';

const DEFAULT_PATTERN = /^[A-Z0-9]{1,8}$/;

describe('new account codes', () => {
  it('when the company is set, then the stem comes from it, else surname+forename, else the email local part', () => {
    expect(codeStem({ company: 'Zynk Software', surname: 'Harrison', forename: 'Joe', email: 'joe@zynk.com' })).toEqual({
      stem: 'ZYNKSOFT',
      source: 'company',
    });
    expect(codeStem({ company: ' ', surname: 'Harrison', forename: 'Joe', email: 'joe@zynk.com' })).toEqual({
      stem: 'HARRISON',
      source: 'name',
    });
    expect(codeStem({ company: '', surname: '', forename: '', email: 'j.o-e_1@zynk.com' })).toEqual({ stem: 'JOE1', source: 'email' });
    expect(codeStem({ company: '—', surname: '王', forename: '', email: '' })).toEqual({ stem: 'CUST', source: 'fallback' });
  });

  it('when the stem comes from a long email local part, then it is cut to 8 characters', () => {
    expect(codeStem({ company: '', surname: '', forename: '', email: 'jonathan.bloggs@x.com' })).toEqual({
      stem: 'JONATHAN',
      source: 'email',
    });
  });

  it('when the pattern would accept a longer code, then the code is still at most 8 characters', () => {
    expect(proposeAccountCode('HARRISON', /^[A-Z]+[0-9]+$/, () => false)?.code).toBe('HARRIS01');
    expect(codeForNumber('HARRISON', 1234567, /^[A-Z]+[0-9]+$/)?.code).toBe('H1234567');
  });

  it('when names carry accents and punctuation, then only A–Z and 0–9 remain', () => {
    expect(toCodeAlphabet("Zoë O'Brien-Straße & Co.")).toBe('ZOEOBRIENSTRASSECO');
    expect(toCodeAlphabet('João')).toBe('JOAO');
  });

  it('when codes are taken, then the lowest free number is used, two digits first', () => {
    const taken = new Set(['HARRIS01', 'HARRIS02', 'HARRIS04']);
    expect(proposeAccountCode('HARRISON', DEFAULT_PATTERN, (c) => taken.has(c))).toEqual({ code: 'HARRIS03', prefix: 'HARRIS', number: 3 });
  });

  it('when 99 is passed, then the stem is shortened so the code stays at 8 characters', () => {
    expect(codeForNumber('HARRISON', 100, DEFAULT_PATTERN)?.code).toBe('HARRI100');
    expect(codeForNumber('HARRISON', 1000, DEFAULT_PATTERN)?.code).toBe('HARR1000');
    const taken = (c: string) => /^HARRIS\d\d$/.test(c);
    expect(proposeAccountCode('HARRISON', DEFAULT_PATTERN, taken)?.code).toBe('HARRI100');
  });

  it('when the stem is short, then it is not padded', () => {
    expect(proposeAccountCode('DOE', DEFAULT_PATTERN, () => false)?.code).toBe('DOE01');
  });

  it('when the shop uses a different pattern, then a form that fits is chosen', () => {
    expect(proposeAccountCode('HARRISON', /^[A-Z]{3}[0-9]{3}$/, () => false)?.code).toBe('HAR001');
    expect(proposeAccountCode('HARRISON', /^[A-Z]{3}[0-9]{3}$/, (c) => c === 'HAR001')?.code).toBe('HAR002');
  });

  it('when the pattern admits nothing made of the stem, then there is no proposal', () => {
    expect(proposeAccountCode('HARRISON', /^X[0-9]+$/, () => false)).toBeNull();
  });

  it('for any stem and any taken set, the proposal is free, at most 8 characters, and fits the pattern', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 150 }), { maxLength: 150 }), (text, numbers) => {
        const stem = codeStem({ company: text, surname: '', forename: '', email: '' }).stem;
        const taken = new Set(numbers.map((n) => codeForNumber(stem, n, DEFAULT_PATTERN)!.code));
        const proposal = proposeAccountCode(stem, DEFAULT_PATTERN, (c) => taken.has(c))!;
        expect(proposal.code.length).toBeLessThanOrEqual(8);
        expect(proposal.code).toMatch(DEFAULT_PATTERN);
        expect(taken.has(proposal.code)).toBe(false);
        const lowestFree = [...Array(200).keys()].map((i) => i + 1).find((n) => !numbers.includes(n));
        expect(proposal.number).toBe(lowestFree);
      }),
    );
  });
});
