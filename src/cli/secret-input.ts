import readline from 'node:readline';

/** Standard input as the CLI uses it for secrets: read whole (piped) or typed at a hidden prompt. */
export interface CliInput {
  isTTY: boolean;
  readAll(): Promise<string>;
  promptHidden(question: string): Promise<string>;
}

export const processInput: CliInput = {
  get isTTY() {
    return Boolean(process.stdin.isTTY);
  },
  async readAll() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString('utf8');
  },
  promptHidden(question) {
    return new Promise((resolve, reject) => {
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      let muted = false;
      // readline echoes what is typed through _writeToOutput; silence it after the question.
      (rl as unknown as { _writeToOutput(s: string): void })._writeToOutput = (s: string) => {
        if (!muted) process.stderr.write(s);
      };
      rl.on('SIGINT', () => {
        rl.close();
        process.stderr.write('\n');
        reject(new Error('cancelled'));
      });
      rl.question(question, (answer) => {
        rl.close();
        process.stderr.write('\n');
        resolve(answer);
      });
      muted = true;
    });
  },
};
