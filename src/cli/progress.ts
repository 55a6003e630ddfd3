/**
 * A one-line progress bar on a terminal's stderr ("orders ███████░░░ 700/1000, 8 pages"),
 * redrawn at most ten times a second and erased when done. Nothing at all when not a TTY, so logs
 * and pipes stay clean.
 */
export interface ProgressLine {
  update(done: number, total: number | undefined, note: string): void;
  finish(): void;
}

const WIDTH = 24;

export function createProgressLine(
  stream: { isTTY?: boolean; write(text: string): unknown; columns?: number },
  label: string,
): ProgressLine {
  if (!stream.isTTY) return { update() {}, finish() {} };
  let last = 0;
  let drawn = false;
  return {
    update(done, total, note) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const known = total !== undefined && total > 0;
      const filled = known ? Math.min(WIDTH, Math.round((done / total) * WIDTH)) : 0;
      const bar = known ? `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)} ` : '';
      const line = `${label} ${bar}${done}${known ? `/${total}` : ''}${note ? `, ${note}` : ''}`;
      stream.write(`\r${line.slice(0, (stream.columns ?? 80) - 1)}\x1b[K`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
