#!/usr/bin/env node
// The CLI is written in TypeScript and run through tsx's loader, so `npx woo-sage` works straight
// after `npm install` without a build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv);
