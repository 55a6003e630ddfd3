import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { findCycles, readImportGraph, type ImportEdge } from './helpers/import-graph.ts';

/**
 * The import graph tells the story (docs/ARCHITECTURE.md, "Layers"): the pure domain imports
 * nothing of the product outside itself, no layer imports one above it, and no files import each
 * other in a circle. Product code only: a test beside the code drives it from the outside (from
 * WooCommerce payloads through woo's mapping, as the pipeline does) and is not a layer.
 */

/**
 * Low to high; a file may import its own layer and the ones below. The folder of `src/` (or the
 * file, for the two at its top) names the layer; `config/` and `migrations/` at the repository
 * root are the configuration and the database's.
 */
const LAYERS: readonly (readonly string[])[] = [
  // Pure rules: allocation, pricing, money, books, order states, roles, errors.
  ['domain'],
  // Adapters: the database, WooCommerce, Sage, settings, logs, configuration, notification
  // channels, the sandbox store, the package version.
  ['db', 'woo', 'sage', 'settings', 'log', 'config', 'notify', 'sandbox', 'version'],
  // Users, sessions and tokens, kept in the database.
  ['auth'],
  // The use cases.
  ['pipeline'],
  // serve's scheduler and its jobs.
  ['jobs'],
  // Entry points other than the process's own: the HTTP API and page, the setup doctor.
  ['http', 'check'],
  // serve's composition root (src/main.ts), which the CLI's serve and demo commands start.
  ['main'],
  // The process's entry point (bin/woo-sage.js runs src/cli/main.ts).
  ['cli'],
];

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The layer a repository file belongs to, or undefined when the table does not place it. */
function layerOf(file: string): string | undefined {
  const [top, folder, ...rest] = file.split('/');
  if (top === 'config') return 'config';
  if (top === 'migrations') return 'db';
  if (top !== 'src' || folder === undefined) return undefined;
  return rest.length === 0 ? folder.replace(/\.ts$/, '') : folder;
}

const rankOf = (layer: string | undefined): number => (layer === undefined ? -1 : LAYERS.findIndex((group) => group.includes(layer)));
const isTest = (file: string): boolean => file.endsWith('.test.ts');
const shown = (edge: ImportEdge): string => `${edge.from}:${edge.line} imports ${edge.to} ('${edge.specifier}')`;

/** Edges out of src/domain. */
function domainEscapes(edges: readonly ImportEdge[]): string[] {
  return edges.filter((e) => e.from.startsWith('src/domain/') && !e.to.startsWith('src/domain/')).map(shown);
}

/** Edges from a layer to a higher one, or from or to a file the table does not place. */
function layerViolations(edges: readonly ImportEdge[]): string[] {
  return edges.flatMap((edge) => {
    const [from, to] = [layerOf(edge.from), layerOf(edge.to)];
    const [fromRank, toRank] = [rankOf(from), rankOf(to)];
    if (fromRank < 0 || toRank < 0)
      return [
        `${shown(edge)}: ${fromRank < 0 ? edge.from : edge.to} is in no layer (add its folder to LAYERS here and in docs/ARCHITECTURE.md)`,
      ];
    return toRank > fromRank ? [`${shown(edge)}: ${from} is below ${to}`] : [];
  });
}

/** Every import of src, config and migrations, their tests included. */
function allEdges(): ImportEdge[] {
  const dirs = ['src', 'config', 'migrations'].map((dir) => join(ROOT, dir)).filter((dir) => existsSync(dir));
  return dirs.flatMap((dir) => readImportGraph(ROOT, dir).edges);
}

describe('the import graph of the product', () => {
  let edges: ImportEdge[] = [];
  let withTests: ImportEdge[] = [];
  beforeAll(() => {
    withTests = allEdges();
    edges = withTests.filter((edge) => !isTest(edge.from));
  });

  it('when it is read, then it has the product in it (a sanity check of the reader)', () => {
    expect(edges.length).toBeGreaterThan(1000);
    expect(edges).toContainEqual(expect.objectContaining({ from: 'src/cli/main.ts', to: 'src/cli/commands/index.ts' }));
  });

  it('when a file under src/domain imports, then only from src/domain (its tests too: tests that build inputs from shop payloads live in test/domain)', () => {
    expect(domainEscapes(withTests)).toEqual([]);
  });

  it('when a file imports another layer, then only a lower one', () => {
    expect(layerViolations(edges)).toEqual([]);
  });

  it('when files import each other, then never in a circle', () => {
    expect(findCycles(edges).map((cycle) => cycle.join(' → '))).toEqual([]);
  });
});

describe('the rules themselves', () => {
  const edge = (from: string, to: string): ImportEdge => ({ from, to, line: 1, specifier: to });

  it('when the domain imports an adapter, then the edge is named', () => {
    expect(domainEscapes([edge('src/domain/pricing/price-order.ts', 'src/woo/schemas.ts')])).toEqual([
      "src/domain/pricing/price-order.ts:1 imports src/woo/schemas.ts ('src/woo/schemas.ts')",
    ]);
  });

  it('when a lower layer imports a higher one, then it is named, and the other way round is fine', () => {
    expect(layerViolations([edge('src/pipeline/run-sync.ts', 'src/jobs/scheduler.ts')])).toEqual([
      "src/pipeline/run-sync.ts:1 imports src/jobs/scheduler.ts ('src/jobs/scheduler.ts'): pipeline is below jobs",
    ]);
    expect(layerViolations([edge('src/db/users.ts', 'src/auth/users.ts')])).toHaveLength(1);
    expect(
      layerViolations([edge('src/cli/commands/serve.ts', 'src/main.ts'), edge('src/jobs/scheduler.ts', 'src/pipeline/run-sync.ts')]),
    ).toEqual([]);
    expect(layerViolations([edge('src/db/inbox.ts', 'src/woo/schemas.ts'), edge('src/woo/client.ts', 'config/env.ts')])).toEqual([]);
  });

  it('when a folder is in no layer, then it is named', () => {
    expect(layerViolations([edge('src/reports/x.ts', 'src/domain/money.ts')])[0]).toContain('src/reports/x.ts is in no layer');
  });

  it('when files import each other in a circle, then the circle is named', () => {
    expect(findCycles([edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('c', 'd')])).toEqual([['a', 'b', 'c', 'a']]);
  });
});
