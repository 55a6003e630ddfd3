import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

// The browser code has its own tsconfig (DOM library, no Node types), which `tsc --noEmit` at the
// root does not read; this keeps `npm test` from passing over a type error in it.
it('when the admin page’s browser code is type-checked with its own tsconfig, then there are no errors', () => {
  const configPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'client', 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  expect(parsed?.errors ?? ['unreadable tsconfig']).toEqual([]);
  const program = ts.createProgram({ rootNames: parsed!.fileNames, options: parsed!.options });
  const problems = ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  expect(problems).toEqual([]);
  expect(parsed!.fileNames.some((f) => f.endsWith('client/main.ts'))).toBe(true);
});
