// The CLI as a program: bin/woo-sage.js runs its compiled form (dist/src/cli/bin.js); the tests run
// this source through tsx (test/helpers/cli-entry.ts), so they never depend on a build.
import { boundHeapGrowth } from './heap-growth.ts';
import { runCli } from './main.ts';

boundHeapGrowth();
process.exitCode = await runCli(process.argv);
