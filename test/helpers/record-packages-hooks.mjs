// Module resolution hooks for record-packages.mjs (they run on Node's loader thread).
import fs from 'node:fs';

let file;

export function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  const fromOurCode = context.parentURL !== undefined && !context.parentURL.includes('/node_modules/');
  if (file && fromOurCode && result.url.includes('/node_modules/')) fs.appendFileSync(file, `${specifier}\n`);
  return result;
}
