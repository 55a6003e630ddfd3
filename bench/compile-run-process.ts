/**
 * The measured process as plain JavaScript, the way the product runs once installed (`dist/`, no
 * TypeScript loader): tsx's loader and esbuild's service cost the process ≈ 70 MB before the first
 * order, which would be counted in the run's peak RSS. The bundle is written under node_modules so
 * that its external packages resolve from the project's node_modules.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles `bench/<script>` (and the sources it imports) to one ES module; returns its path. */
export async function compileBenchScript(script: string): Promise<string> {
  const outfile = path.join(root, 'node_modules', '.cache', 'woo-sage-bench', script.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [path.join(root, 'bench', script)],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'error',
  });
  return outfile;
}
