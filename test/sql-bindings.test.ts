import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * SQL only through bindings: every knex raw call in src/, migrations/ and config/ must get its SQL as a plain string
 * literal (values go in the bindings array). SQL built with `${…}`, `+` or from a variable is
 * refused unless reviewed below, with the reason it cannot carry input.
 */
const ROOT = path.join(import.meta.dirname, '..');
const SCANNED = ['src', 'migrations', 'config'].map((dir) => path.join(ROOT, dir));
const RAW_METHODS = new Set([
  'raw',
  'whereRaw',
  'orWhereRaw',
  'andWhereRaw',
  'havingRaw',
  'orHavingRaw',
  'orderByRaw',
  'groupByRaw',
  'joinRaw',
  'fromRaw',
  'onRaw',
  'columnRaw',
]);

/** Reviewed raw calls whose SQL is built, by file and the call's text; each says why it is safe. */
const REVIEWED: Array<{ file: string; call: string; why: string }> = [
  {
    file: 'src/db/customer-links.ts',
    call: 'db.raw(`${status} as status`)',
    why: '`status` is a CASE expression assembled from three constant SQL fragments in the same function; no value reaches it',
  },
  {
    file: 'src/db/mysql-migration-recovery.ts',
    call: 'db.raw(`SELECT GET_LOCK(${LOCK_NAME}, ?) AS got`, [MUTEX_WAIT_SECONDS])',
    why: 'LOCK_NAME is a constant SQL expression (the lock name from DATABASE()); the wait is a binding',
  },
  {
    file: 'src/db/mysql-migration-recovery.ts',
    call: 'db .raw(`SELECT RELEASE_LOCK(${LOCK_NAME})`)',
    why: 'LOCK_NAME is a constant SQL expression',
  },
  {
    file: 'src/db/bulk-write.ts',
    call: 'db.raw(`CASE ${cases} ELSE ?? END`, [...bindings, column])',
    why: '`cases` repeats the constant fragment "WHEN ?? IN (?,…) THEN ?", one placeholder per value; ids, values and the column name are bindings',
  },
  {
    file: 'src/db/bulk-write.ts',
    call: "db.raw(`CASE ?? ${cases} ELSE ?? END`, ['id', ...bindings, column])",
    why: '`cases` repeats the constant fragment "WHEN ? THEN ?"; ids, values and the column name are bindings',
  },
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

interface RawCall {
  file: string;
  line: number;
  call: string;
  literal: boolean;
}

function rawCalls(file: string): RawCall[] {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: RawCall[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      RAW_METHODS.has(node.expression.name.text) &&
      // express.raw() is the raw-body parser, not SQL.
      node.expression.expression.getText(source) !== 'express'
    ) {
      const sql = node.arguments[0];
      found.push({
        file: path.relative(ROOT, file),
        line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
        // Compared with white space folded, so reformatting does not invalidate a review.
        call: node.getText(source).replace(/\s+/g, ' '),
        literal: sql !== undefined && (ts.isStringLiteral(sql) || ts.isNoSubstitutionTemplateLiteral(sql)),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('SQL through bindings only', () => {
  const calls = SCANNED.flatMap(sourceFiles).flatMap(rawCalls);

  it('when src/, migrations/ and config/ are scanned, then every raw SQL call takes a plain string literal, or is a reviewed one', () => {
    const reviewed = new Set(REVIEWED.map((r) => `${r.file}\n${r.call}`));
    const built = calls.filter((c) => !c.literal && !reviewed.has(`${c.file}\n${c.call}`));
    expect(built.map((c) => `${c.file}:${c.line}: ${c.call}`)).toEqual([]);
  });

  it('when a reviewed call changes or goes away, then the review list says so (it never holds stale entries)', () => {
    const present = new Set(calls.map((c) => `${c.file}\n${c.call}`));
    expect(REVIEWED.filter((r) => !present.has(`${r.file}\n${r.call}`)).map((r) => `${r.file}: ${r.call}`)).toEqual([]);
  });

  it('when the scanner meets SQL built from a value, then it flags it (the check itself works)', () => {
    const probe = path.join(import.meta.dirname, 'fixtures', 'sql-probe.ts.txt');
    const flagged = rawCalls(probe).filter((c) => !c.literal);
    expect(flagged.map((c) => c.line)).toEqual([4, 5, 6]);
    expect(calls.length).toBeGreaterThan(10);
  });
});
