import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's package.json: one folder up from the sources (src/), two from the build (dist/src/). */
function packageJsonPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The package version, for /healthz and the OpenAPI description. */
export const VERSION: string = (JSON.parse(fs.readFileSync(packageJsonPath(), 'utf8')) as { version: string }).version;
