import pino, { type Logger } from 'pino';
import { logDestination, resolveLogFormat, type LogFormat } from './text-destination.ts';

export type { Logger };

/** Paths pino censors wherever they appear in a log object: credentials never reach a log line. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'consumerKey',
  '*.consumerKey',
  'consumerSecret',
  '*.consumerSecret',
  'consumer_key',
  '*.consumer_key',
  'consumer_secret',
  '*.consumer_secret',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers.cookie',
  '*.headers.cookie',
  'headers["set-cookie"]',
  '*.headers["set-cookie"]',
  'headers.link',
  '*.headers.link',
  'smtpPassword',
  '*.smtpPassword',
  'notifyWebhookUrl',
  '*.notifyWebhookUrl',
  'passwordHash',
  '*.passwordHash',
  'password_hash',
  '*.password_hash',
];

/** Logs go to stderr so that stdout stays clean for `--json` output. */
export function createLogger(level: string = 'info', destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: { app: 'woo-sage' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}

/**
 * The logger of a command or of `serve`, on stderr: JSON lines, or plain words for a person at a
 * terminal (see resolveLogFormat).
 */
export function createProcessLogger(options: { logLevel: string; logFormat: LogFormat }, service: boolean): Logger {
  if (resolveLogFormat(options.logFormat, process.stderr, service) === 'json') return createLogger(options.logLevel);
  return createLogger(options.logLevel, logDestination('text', process.stderr));
}

export const silentLogger: Logger = pino({ level: 'silent' });
