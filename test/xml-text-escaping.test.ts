import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * xmlbuilder2 4.x writes an "&" that starts something shaped like a reference as it is, so text
 * from a shop ("Tom &amp; Jerry", "&#1;", "&nbsp;") would change meaning or make a whole delivered
 * file unreadable. Every text node in src/ therefore goes through plainText (src/sage/xml-text.ts);
 * this keeps new renderers (credit notes arrived after the others) from forgetting it.
 */
const SRC = path.join(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** `.txt(x)` / `.dat(x)` calls whose argument is not `plainText(…)`, as "file:line". */
function unescapedTextCalls(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ['txt', 'dat'].includes(node.expression.name.text)) {
      const arg = node.arguments[0];
      const escaped = arg && ts.isCallExpression(arg) && ts.isIdentifier(arg.expression) && arg.expression.text === 'plainText';
      if (!escaped) found.push(`${path.relative(SRC, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('XML text escaping', () => {
  it('when src/ is scanned, then every xmlbuilder2 text node is written through plainText', () => {
    const files = sourceFiles(SRC);
    expect(files.some((f) => fs.readFileSync(f, 'utf8').includes('.txt(plainText('))).toBe(true);
    expect(files.flatMap(unescapedTextCalls)).toEqual([]);
  });
});
