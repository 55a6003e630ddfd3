import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Where `npm run build` writes the bundled page, beside the compiled server (dist/src/http/page/bundle). */
export const BUNDLE_DIR = path.join(HERE, 'bundle');

export interface PageAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** The files the page is made of, by the name they are served under (`/` is index.html). */
export const PAGE_ASSET_NAMES = ['index.html', 'app.js', 'app.css', 'icon.svg'] as const;
export type PageAssetName = (typeof PAGE_ASSET_NAMES)[number];

const CONTENT_TYPES: Record<PageAssetName, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'icon.svg': 'image/svg+xml',
};

function asset(body: Buffer, contentType: string): PageAsset {
  return { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/**
 * Bundles the browser code (TypeScript, one ES module) and the style sheets in `pageDir` with
 * esbuild, in memory. Only the files under src/http/page go in, so nothing of the server's
 * (configuration, secrets) can. esbuild is loaded here only: the compiled server reads the bundle
 * the build wrote and never starts it.
 */
export async function bundlePage(pageDir: string = HERE): Promise<Map<PageAssetName, Buffer>> {
  const { build } = await import('esbuild');
  const [js, css] = await Promise.all([
    build({
      entryPoints: [path.join(pageDir, 'client', 'main.ts')],
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
      entryPoints: [path.join(pageDir, 'styles', 'index.css')],
      bundle: true,
      minify: true,
      write: false,
      logLevel: 'silent',
    }),
  ]);
  return new Map<PageAssetName, Buffer>([
    ['index.html', await readFile(path.join(pageDir, 'index.html'))],
    ['app.js', Buffer.from(js.outputFiles[0]!.contents)],
    ['app.css', Buffer.from(css.outputFiles[0]!.contents)],
    ['icon.svg', await readFile(path.join(pageDir, 'icon.svg'))],
  ]);
}

async function readBundle(): Promise<Map<PageAssetName, Buffer>> {
  const files = await Promise.all(PAGE_ASSET_NAMES.map(async (name) => [name, await readFile(path.join(BUNDLE_DIR, name))] as const));
  return new Map(files);
}

/** From the build: the bundle it wrote. From the sources (tests, tsx): bundled now, so it is never stale. */
async function buildAssets(): Promise<Map<PageAssetName, PageAsset>> {
  const files = existsSync(BUNDLE_DIR) ? await readBundle() : await bundlePage();
  return new Map(PAGE_ASSET_NAMES.map((name) => [name, asset(files.get(name)!, CONTENT_TYPES[name])]));
}

let built: Promise<Map<PageAssetName, PageAsset>> | undefined;

/** The page's files, loaded once per process on first use; a failed load is retried next time. */
export function pageAssets(): Promise<Map<PageAssetName, PageAsset>> {
  built ??= buildAssets().catch((err: unknown) => {
    built = undefined;
    throw err;
  });
  return built;
}
