// Preloaded into a child process (node --import): appends every npm package the program's own code
// imports to the file named by RECORD_PACKAGES_TO, one line each, so a test can see what a start loads.
import { register } from 'node:module';

register('./record-packages-hooks.mjs', import.meta.url, { data: { file: process.env.RECORD_PACKAGES_TO } });
