import { describe, expect, it } from 'vitest';
import { accountCodePattern, accountCodePatternProblems, MAX_CHOICES } from './account-code-pattern.ts';

describe('accountCodePattern safety check', () => {
  it.each([
    ['^(A+)+$', /repeats a part that itself repeats/],
    ['^([A-Z]+)*$', /repeats a part that itself repeats/],
    ['^(?:[A-Z]{1,4}){2}$', /repeats a part that itself repeats/],
    ['^(A|AB)*$', /repeats a part that itself repeats or has alternatives/],
    ['^(?=.*[0-9])[A-Z0-9]{1,8}$', /lookahead/],
    ['^([A-Z])\\1$', /back-references/],
    ['^[A-Z', /must be a valid regular expression/],
    [`^${'A?'.repeat(MAX_CHOICES + 1)}$`, /at most 10 are allowed/],
    [`^${'A'.repeat(100)}$`, /at most 100 characters/],
  ])('when the pattern is %s, then it is refused and says why', (pattern, why) => {
    const problems = accountCodePatternProblems(pattern);
    expect(problems.join('; ')).toMatch(why);
    expect(() => accountCodePattern(pattern)).toThrow(/^accountCodePattern: /);
  });

  it.each(['^[A-Z0-9]{1,8}$', '^(WEB|SHOP)[0-9]{3,4}$', '^(?:AB)+$', '^[A-Z]{2,6}\\d{2}$', '^(?:GB)?[A-Z0-9]{1,6}$', 'CASH'])(
    'when the pattern is %s, then it is accepted',
    (pattern) => {
      expect(accountCodePatternProblems(pattern)).toEqual([]);
    },
  );

  it('when a code is longer than Sage allows, then no pattern accepts it', () => {
    expect(accountCodePattern('^[A-Z]+$').test('ABCDEFGH')).toBe(true);
    expect(accountCodePattern('^[A-Z]+$').test('ABCDEFGHI')).toBe(false);
  });

  // The worst patterns the rules still let through: many choice points over the same letters.
  it.each([
    `^${'a*'.repeat(MAX_CHOICES)}$`,
    `${'(a|)'.repeat(MAX_CHOICES)}b`,
    `${'a?'.repeat(MAX_CHOICES)}b`,
    `(${'a|'.repeat(MAX_CHOICES)}a)b`,
    `${'[a-z]{0,8}'.repeat(8)}!`,
  ])('when an accepted pattern meets the worst codes, then each test takes well under a millisecond (%s)', (source) => {
    expect(accountCodePatternProblems(source)).toEqual([]);
    const pattern = accountCodePattern(source);
    const codes = ['aaaaaaa!', 'aaaaaaaa', 'aaaaaaab', 'a', '', 'aaaa!aaa'];
    const started = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) for (const code of codes) pattern.test(code);
    const perTestMs = Number(process.hrtime.bigint() - started) / 1e6 / (200 * codes.length);
    expect(perTestMs).toBeLessThan(1);
  });
});
