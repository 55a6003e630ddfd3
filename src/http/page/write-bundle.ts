// Run by `npm run build` after tsc, from dist: `node dist/src/http/page/write-bundle.js src/http/page`
// bundles the page's sources into dist/src/http/page/bundle, so the compiled server starts without esbuild.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BUNDLE_DIR, bundlePage } from './assets.ts';

const [sourceDir] = process.argv.slice(2);
if (!sourceDir) throw new Error('usage: node dist/src/http/page/write-bundle.js PAGE_SOURCE_DIR');
const files = await bundlePage(path.resolve(sourceDir));
await rm(BUNDLE_DIR, { recursive: true, force: true });
await mkdir(BUNDLE_DIR, { recursive: true });
for (const [name, body] of files) await writeFile(path.join(BUNDLE_DIR, name), body);
