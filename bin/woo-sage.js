#!/usr/bin/env node
// Runs the compiled CLI: `npm install` builds dist/ (the prepare script runs `npm run build`).
try {
  await import('../dist/src/cli/bin.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !/dist[\\/]src[\\/]cli[\\/]bin\.js/.test(String(err.message))) throw err;
  process.stderr.write('woo-sage is not built: run `npm install` (or `npm run build`) in its folder first\n');
  process.exitCode = 2;
}
