import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The node arguments that start woo-sage as a real process in tests: the CLI's source entry through
 * tsx, so no test depends on a build that could be missing or older than the sources. The compiled
 * bin (bin/woo-sage.js → dist/) has its own test, test/compiled-build.test.ts. tsx is named by its
 * file URL, so the child may run in any working folder.
 */
export const WOO_SAGE_ARGS: readonly string[] = [
  '--import',
  pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href,
  path.join(import.meta.dirname, '..', '..', 'src', 'cli', 'bin.ts'),
];
