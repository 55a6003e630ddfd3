import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { accountCodePattern, accountCodePatternProblems, MAX_CHOICES, MAX_PATTERN_LENGTH } from './account-code-pattern.ts';

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

  it('when a pattern is as long as allowed, then it is accepted; one character more is refused, saying how long it is', () => {
    const longest = `^${'A'.repeat(MAX_PATTERN_LENGTH - 2)}$`;
    expect(accountCodePatternProblems(longest)).toEqual([]);
    expect(accountCodePatternProblems(`${longest}$`)).toEqual([
      `must be at most ${MAX_PATTERN_LENGTH} characters (got ${MAX_PATTERN_LENGTH + 1}), e.g. ^[A-Z0-9]{1,8}$`,
    ]);
  });

  it("when a pattern is not a regular expression, then the reason is the engine's, without its prefix", () => {
    expect(accountCodePatternProblems('^[A-Z')).toEqual(['must be a valid regular expression (/^[A-Z/: Unterminated character class)']);
  });

  it.each([
    ['^(?<=A)[A-Z]+$', /lookahead or lookbehind/],
    ['^(?!X)[A-Z]+$', /lookahead or lookbehind/],
    ['^(?<c>A)\\k<c>$', /back-references/],
    ['^(?:WEB|SHOP)+$', /repeats a part that itself repeats or has alternatives/],
  ])('when the pattern is %s, then it is refused and says why', (pattern, why) => {
    expect(accountCodePatternProblems(pattern).join('; ')).toMatch(why);
  });

  it.each(['^\\bCASH\\b$', '^(?:WEB|SHOP)?[0-9]{3}$', '^(?:A|B){1}[0-9]+$', '^(?:AB)+$', '^(?:(?:AB)C)+$', '^[A-Z]{2}\\-[0-9]{2}$'])(
    'when the pattern %s uses word boundaries, identity escapes, plain nested groups, or repeats alternatives at most once, then it is accepted',
    (pattern) => {
      expect(accountCodePatternProblems(pattern)).toEqual([]);
    },
  );

  it('when a pattern has as many alternatives as allowed, then it is accepted; one more is refused, counting them', () => {
    const letters = 'ABCDEFGHIJKL'.split('');
    const alternatives = (n: number) => `^(?:${letters.slice(0, n + 1).join('|')})$`; // n choices beyond the first
    expect(accountCodePatternProblems(alternatives(MAX_CHOICES))).toEqual([]);
    expect(accountCodePatternProblems(alternatives(MAX_CHOICES + 1))).toEqual([
      `has ${MAX_CHOICES + 1} quantifiers and alternatives; at most ${MAX_CHOICES} are allowed (it could take very long on some codes)`,
    ]);
  });

  it('when a pattern has several problems, then each is named once and the error carries them all', () => {
    const pattern = '^(A+)+(?=B)(A+)+$';
    const problems = accountCodePatternProblems(pattern);
    expect(problems).toEqual([
      '"(A+)+" repeats a part that itself repeats or has alternatives, which can take exponential time on some codes (catastrophic backtracking); repeat one character class instead, e.g. ^[A-Z0-9]{1,8}$',
      'must not use lookahead or lookbehind ((?=…), (?!…), (?<=…), (?<!…))',
    ]);
    let thrown: unknown;
    try {
      accountCodePattern(pattern);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect(thrown).toMatchObject({
      message: `accountCodePattern: ${problems.join('; ')}`,
      details: { problems, setting: 'accountCodePattern' },
    });
  });

  it('when the problems of a pattern are changed by the caller, then the next answer is unchanged', () => {
    const first = accountCodePatternProblems('^(A+)+$');
    first.push('changed');
    first.length = 0;
    expect(accountCodePatternProblems('^(A+)+$')).toHaveLength(1);
  });

  it('when the same pattern is asked for again, then the same matcher is used, with its source', () => {
    const matcher = accountCodePattern('^[A-Z]{2}[0-9]{2}$');
    expect(accountCodePattern('^[A-Z]{2}[0-9]{2}$')).toBe(matcher);
    expect(matcher.source).toBe('^[A-Z]{2}[0-9]{2}$');
    expect([matcher.test('AB12'), matcher.test('AB1')]).toEqual([true, false]);
  });
});
