import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger } from '../log/logger.ts';

export function requestIdOf(res: Response): string {
  return String(res.locals.requestId ?? '');
}

/**
 * Gives every request an id (echoed as X-Request-Id, quoted in 500 answers) and logs one line
 * when it ends: method, path without the query, status, time, user. Never headers or bodies.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const path = req.originalUrl.split('?')[0];
      const entry = {
        reqId: requestId,
        method: req.method,
        path,
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1_000_000n),
        user: res.locals.principal?.user?.username,
      };
      if (path === '/healthz') logger.debug(entry, 'request');
      else logger.info(entry, 'request');
    });
    next();
  };
}
