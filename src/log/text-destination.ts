import type { DestinationStream } from 'pino';

export type LogFormat = 'auto' | 'json' | 'text';

/**
 * JSON lines are for machines: `serve`, output that is not a terminal, or LOG_FORMAT=json. A person
 * running a command at a terminal gets plain words (LOG_FORMAT=text forces them anywhere).
 */
export function resolveLogFormat(format: LogFormat, stream: { isTTY?: boolean }, service: boolean): 'json' | 'text' {
  if (format !== 'auto') return format;
  return !service && stream.isTTY === true ? 'text' : 'json';
}

const LEVEL_WORDS = new Map<number, string>([
  [10, 'trace: '],
  [20, 'debug: '],
  [30, ''],
  [40, 'warning: '],
  [50, 'error: '],
  [60, 'fatal: '],
]);

/** Fields every line has, or that say nothing a person needs. */
const SKIPPED = new Set(['level', 'time', 'app', 'msg', 'pid', 'hostname', 'of']);

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** One field in words: the store client's retry fields read as a sentence, the others as "name: value". */
function describeField(key: string, value: unknown, entry: Record<string, unknown>): string {
  if (key === 'attempt') return `attempt ${shown(value)}${typeof entry.of === 'number' ? ` of ${entry.of}` : ''}`;
  if (key === 'delayMs' && typeof value === 'number') return `next try in ${(value / 1000).toFixed(1)} s`;
  if (key === 'endpoint' || key === 'reason') return shown(value);
  if (key === 'error' && value && typeof value === 'object' && 'message' in value) return shown((value as { message: unknown }).message);
  return `${key}: ${shown(value)}`;
}

/** A pino JSON line as the line a person reads: "12:24:35 warning: store request failed; retrying — GET orders, attempt 1, …". */
export function formatLogLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : new Date().toISOString().slice(11, 19);
  const level = LEVEL_WORDS.get(Number(entry.level)) ?? '';
  const details = Object.entries(entry)
    .filter(([key]) => !SKIPPED.has(key))
    .map(([key, value]) => describeField(key, value, entry));
  return `${time} ${level}${shown(entry.msg ?? '')}${details.length ? ` — ${details.join(', ')}` : ''}`;
}

/** Where log lines go: the stream itself for JSON, or through formatLogLine for text. */
export function logDestination(format: 'json' | 'text', stream: { write(text: string): unknown }): DestinationStream {
  if (format === 'json') return stream as DestinationStream;
  return { write: (line: string) => void stream.write(`${formatLogLine(line)}\n`) };
}
