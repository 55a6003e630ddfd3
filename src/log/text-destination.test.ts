import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { formatLogLine, logDestination, resolveLogFormat } from './text-destination.ts';

describe('resolveLogFormat', () => {
  it.each([
    ['auto', true, false, 'text'],
    ['auto', false, false, 'json'],
    ['auto', true, true, 'json'],
    ['json', true, false, 'json'],
    ['text', false, true, 'text'],
  ] as const)('when LOG_FORMAT=%s, a terminal %s and serve %s, then the lines are %s', (format, isTTY, service, expected) => {
    expect(resolveLogFormat(format, { isTTY }, service)).toBe(expected);
  });
});

describe('formatLogLine', () => {
  it('when the store client logs a retry, then the line reads as words with the attempt, the reason and the wait', () => {
    const json = JSON.stringify({
      level: 40,
      time: '2026-12-03T12:24:35.548Z',
      app: 'woo-sage',
      endpoint: 'GET orders',
      attempt: 2,
      of: 6,
      reason: 'nothing answers there (connection refused)',
      delayMs: 1250,
      msg: 'store request failed; retrying',
    });
    expect(formatLogLine(json)).toBe(
      '12:24:35 warning: store request failed; retrying — GET orders, attempt 2 of 6, nothing answers there (connection refused), next try in 1.3 s',
    );
  });

  it('when a line carries an error object or other fields, then they follow as "name: value"', () => {
    const json = JSON.stringify({
      level: 50,
      time: '2026-12-03T01:02:03.000Z',
      msg: 'sync failed',
      code: 'WOO_UNAVAILABLE',
      error: { message: 'boom' },
    });
    expect(formatLogLine(json)).toBe('01:02:03 error: sync failed — code: WOO_UNAVAILABLE, boom');
  });

  it('when pino writes through the text destination, then secrets are still redacted', () => {
    const lines: string[] = [];
    const logger = createLogger('info', logDestination('text', { write: (t: string) => lines.push(t) }));
    logger.info({ consumerSecret: 'cs_live_123', orderId: 7 }, 'hello');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d hello — consumerSecret: \[redacted\], orderId: 7\n$/);
  });
});
