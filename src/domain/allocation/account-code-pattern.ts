import { RegExpParser, visitRegExpAST } from '@eslint-community/regexpp';
import type { Node } from '@eslint-community/regexpp/ast';
import { ValidationError } from '../errors.ts';
import { MAX_ACCOUNT_CODE_LENGTH } from './account-code.ts';
import type { AccountCodePattern } from './types.ts';

/**
 * `accountCodePattern` is typed by a person and run by JavaScript's backtracking engine on every
 * order, link and preview, so a pattern like `^(A+)+$` could freeze the process. Only patterns
 * that are safe by construction are accepted:
 * - at most MAX_PATTERN_LENGTH characters, no back-references or lookaround;
 * - nothing that repeats (a quantifier above 1) contains another quantifier or an alternative:
 *   the nesting behind exponential backtracking;
 * - at most MAX_CHOICES choice points (quantifiers and alternatives), which bounds polynomial
 *   backtracking (`a*a*a*…`);
 * - and the pattern is only ever tried on at most MAX_ACCOUNT_CODE_LENGTH (Sage's 8) characters:
 *   anything longer is not a Sage account code whatever the pattern says.
 * Together these bound one test to some ten thousand backtracking steps (well under a millisecond).
 */
export const MAX_PATTERN_LENGTH = 100;
export const MAX_CHOICES = 10;

export type { AccountCodePattern } from './types.ts';

const SAFE_EXAMPLE = '^[A-Z0-9]{1,8}$';
const parser = new RegExpParser({ ecmaVersion: 2024 });

function contains(node: Node, found: (n: Node) => boolean): boolean {
  let hit = false;
  const visit = (n: Node) => {
    if (n !== node && found(n)) hit = true;
  };
  visitRegExpAST(node as never, {
    onQuantifierEnter: visit,
    onGroupEnter: visit,
    onCapturingGroupEnter: visit,
  });
  return hit;
}

const hasAlternatives = (n: Node) => (n.type === 'Group' || n.type === 'CapturingGroup') && n.alternatives.length > 1;

const checked = new Map<string, readonly string[]>();
const MAX_CACHED = 64;

/** Why a pattern is refused, one line each; [] when it is safe to run. Cached: settings are validated on every read. */
export function accountCodePatternProblems(pattern: string): string[] {
  let problems = checked.get(pattern);
  if (!problems) {
    problems = Object.freeze(analyse(pattern));
    if (checked.size >= MAX_CACHED) checked.delete(checked.keys().next().value!);
    checked.set(pattern, problems);
  }
  return [...problems];
}

function analyse(pattern: string): string[] {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return [`must be at most ${MAX_PATTERN_LENGTH} characters (got ${pattern.length}), e.g. ${SAFE_EXAMPLE}`];
  }
  let ast;
  try {
    ast = parser.parsePattern(pattern, 0, pattern.length, { unicode: false });
    new RegExp(pattern);
  } catch (err) {
    return [`must be a valid regular expression (${(err as Error).message.replace(/^Invalid regular expression: /, '')})`];
  }
  const problems = new Set<string>();
  let choices = 0;
  visitRegExpAST(ast, {
    onBackreferenceEnter: () => void problems.add('must not use back-references (\\1, \\k<name>)'),
    onAssertionEnter: (node) => {
      if (node.kind === 'lookahead' || node.kind === 'lookbehind')
        problems.add('must not use lookahead or lookbehind ((?=…), (?!…), (?<=…), (?<!…))');
    },
    onAlternativeEnter: (node) => {
      if (node.parent.alternatives[0] !== node) choices += 1;
    },
    onQuantifierEnter: (node) => {
      choices += 1;
      if (
        node.max > 1 &&
        (contains(node.element, (n) => n.type === 'Quantifier') || contains(node.element, hasAlternatives) || hasAlternatives(node.element))
      ) {
        problems.add(
          `"${node.raw}" repeats a part that itself repeats or has alternatives, which can take exponential time on some codes (catastrophic backtracking); repeat one character class instead, e.g. ${SAFE_EXAMPLE}`,
        );
      }
    },
  });
  if (choices > MAX_CHOICES) {
    problems.add(`has ${choices} quantifiers and alternatives; at most ${MAX_CHOICES} are allowed (it could take very long on some codes)`);
  }
  return [...problems];
}

const compiled = new Map<string, AccountCodePattern>();

/**
 * The matcher of a checked pattern (cached: it runs for every order). A pattern that fails the
 * check is refused even when it was stored by an older version, so it can never run.
 */
export function accountCodePattern(pattern: string): AccountCodePattern {
  const cached = compiled.get(pattern);
  if (cached) return cached;
  const problems = accountCodePatternProblems(pattern);
  if (problems.length > 0) {
    throw new ValidationError(`accountCodePattern: ${problems.join('; ')}`, { problems, setting: 'accountCodePattern' });
  }
  const regExp = new RegExp(pattern);
  const matcher: AccountCodePattern = {
    source: pattern,
    test: (code) => code.length <= MAX_ACCOUNT_CODE_LENGTH && regExp.test(code),
  };
  if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
  compiled.set(pattern, matcher);
  return matcher;
}
