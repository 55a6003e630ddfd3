import { processInput, type CliInput } from './secret-input.ts';

/** Output streams, injectable so commands can be tested in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Standard input, for secrets (`--password-stdin`, hidden prompts); absent in most tests. */
  input?: CliInput;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  env: process.env,
  input: processInput,
};
