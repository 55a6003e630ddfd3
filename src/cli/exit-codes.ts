/** 0 done; 1 the run failed; 2 the request itself was unusable (arguments, files, configuration). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Thrown by a command to end with a given exit status after it has printed what it needed to. */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message = '',
  ) {
    super(message);
  }
}
