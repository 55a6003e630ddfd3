import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface PageAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** The files the page is made of, by the name they are served under (`/` is index.html). */
export const PAGE_ASSET_NAMES = ['index.html', 'app.js', 'app.css', 'icon.svg'] as const;
export type PageAssetName = (typeof PAGE_ASSET_NAMES)[number];

function asset(body: Buffer | string, contentType: string): PageAsset {
  const buffer = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return { body: buffer, contentType, etag: `"${createHash('sha256').update(buffer).digest('base64url').slice(0, 27)}"` };
}

/**
 * Bundles the browser code (TypeScript, one ES module) and the style sheets with esbuild, in
 * memory: there is no build step and no build output to commit or to get stale. Only the files
 * under src/http/page go in, so nothing of the server's (configuration, secrets) can.
 */
async function buildAssets(): Promise<Map<PageAssetName, PageAsset>> {
  const [js, css] = await Promise.all([
    build({
      entryPoints: [path.join(HERE, 'client', 'main.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: ['es2022'],
      minify: true,
      legalComments: 'none',
      write: false,
      logLevel: 'silent',
    }),
    build({
      entryPoints: [path.join(HERE, 'styles', 'index.css')],
      bundle: true,
      minify: true,
      write: false,
      logLevel: 'silent',
    }),
  ]);
  return new Map<PageAssetName, PageAsset>([
    ['index.html', asset(await readFile(path.join(HERE, 'index.html')), 'text/html; charset=utf-8')],
    ['app.js', asset(js.outputFiles[0]!.text, 'text/javascript; charset=utf-8')],
    ['app.css', asset(css.outputFiles[0]!.text, 'text/css; charset=utf-8')],
    ['icon.svg', asset(await readFile(path.join(HERE, 'icon.svg')), 'image/svg+xml')],
  ]);
}

let built: Promise<Map<PageAssetName, PageAsset>> | undefined;

/** The page's files, built once per process on first use; a failed build is retried next time. */
export function pageAssets(): Promise<Map<PageAssetName, PageAsset>> {
  built ??= buildAssets().catch((err: unknown) => {
    built = undefined;
    throw err;
  });
  return built;
}
