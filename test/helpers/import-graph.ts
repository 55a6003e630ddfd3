import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/** One import of one file: where it is written and the repository file it resolves to. */
export interface ImportEdge {
  /** Importing file, relative to the repository root, with forward slashes. */
  from: string;
  /** Imported file, relative to the repository root, with forward slashes. */
  to: string;
  /** 1-based line of the import in `from`, so a failure points at it. */
  line: number;
  /** The specifier as written (`../woo/schemas.ts`). */
  specifier: string;
}

export interface ImportGraph {
  files: string[];
  edges: ImportEdge[];
}

// The project's own resolution settings (tsconfig.json), so `./x.js` and `./x.ts` resolve as tsc does.
const COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  resolveJsonModule: true,
};

/** Every `.ts` file under `dir`, recursively, as absolute paths. */
function listTypeScriptFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listTypeScriptFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

/**
 * The module specifiers a file names, with their positions: static imports and re-exports
 * (type-only ones included: a type is a dependency on the module that owns it), `import x =
 * require()`, dynamic `import()`, `require()` and `import('…').T` types. Read from TypeScript's
 * syntax tree rather than `ts.preProcessFile`, which misses `export * as ns from '…'`.
 */
function moduleSpecifiers(source: ts.SourceFile): { text: string; pos: number }[] {
  const found: { text: string; pos: number }[] = [];
  const add = (node: ts.Node | undefined): void => {
    if (node && ts.isStringLiteralLike(node)) found.push({ text: node.text, pos: node.getStart(source) });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    )
      add(node.arguments[0]);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const toPosix = (path: string): string => path.split(sep).join('/');

/**
 * The import graph of the TypeScript files under `srcDir`: one edge per import of a file of this
 * repository (packages and `node:` modules are left out). An import that names a file of the
 * repository but does not resolve throws, so a graph is never silently missing an edge.
 */
export function readImportGraph(rootDir: string, srcDir: string): ImportGraph {
  const absolute = listTypeScriptFiles(srcDir).sort();
  const files = absolute.map((path) => toPosix(relative(rootDir, path)));
  const edges: ImportEdge[] = [];
  const cache = ts.createModuleResolutionCache(rootDir, (name) => name, COMPILER_OPTIONS);
  absolute.forEach((path, index) => {
    const from = files[index]!;
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, false);
    for (const { text, pos } of moduleSpecifiers(source)) {
      if (!text.startsWith('.') && !text.startsWith('/')) continue;
      const resolved = ts.resolveModuleName(text, path, COMPILER_OPTIONS, ts.sys, cache).resolvedModule;
      if (!resolved) throw new Error(`${from}: cannot resolve import '${text}'`);
      if (resolved.isExternalLibraryImport) continue;
      const line = source.getLineAndCharacterOfPosition(pos).line + 1;
      edges.push({ from, to: toPosix(relative(rootDir, resolved.resolvedFileName)), line, specifier: text });
    }
  });
  return { files, edges };
}

/**
 * The import circles of a graph: one per strongly connected set of files (Tarjan), each given as a
 * closed path through it (`a → b → a`) so a failure names real edges to cut. Sorted, so a report
 * is the same from run to run.
 */
export function findCycles(edges: readonly Pick<ImportEdge, 'from' | 'to'>[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (next.get(v) ?? []).includes(v)) components.push(component);
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return components
    .map((component) => closedPath(component.sort()[0]!, new Set(component), next))
    .sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** The shortest path from `start` back to itself inside one strongly connected set (breadth first). */
function closedPath(start: string, inside: ReadonlySet<string>, next: ReadonlyMap<string, string[]>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i]!;
    for (const w of next.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let at: string | undefined = v; at !== start && at !== undefined; at = cameFrom.get(at)) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!cameFrom.has(w)) {
        cameFrom.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}
