import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { Logger } from '../log/logger.ts';
import { requestIdOf } from './request-log.ts';

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

/** The one error shape of the API, for OpenAPI. */
export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
});

/** "body.settleMinutes: expected a number" lines; zod 4 issues never carry the rejected value. */
export function zodProblems(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const where = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || 'request';
    return `${where}: ${issue.message}`;
  });
}

export function validationErrorFrom(error: z.ZodError, prefix = ''): ValidationError {
  const problems = zodProblems(error, prefix);
  return new ValidationError(problems.join('; '), { problems });
}

/** body-parser's errors carry `type`; they are the client's fault and say nothing secret. */
const BODY_ERRORS: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'INVALID_JSON', 'the request body is not valid JSON'],
  'entity.too.large': [413, 'PAYLOAD_TOO_LARGE', 'the request body is too large'],
  'entity.verify.failed': [400, 'BAD_REQUEST', 'the request body was refused'],
  'encoding.unsupported': [415, 'UNSUPPORTED_MEDIA_TYPE', 'the request body encoding is not supported'],
  'charset.unsupported': [415, 'UNSUPPORTED_MEDIA_TYPE', 'the request body charset is not supported'],
  'request.aborted': [400, 'REQUEST_ABORTED', 'the request was aborted'],
  'request.size.invalid': [400, 'BAD_REQUEST', 'the request body length does not match Content-Length'],
};

const COMPRESSED = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

/**
 * A body whose Content-Encoding does not decode: the parsers pass zlib's own error on (a 400
 * without body-parser's `type`). It is the client's fault, worth a warning, never a 500.
 */
function undecodableEncoding(err: unknown, req: Request): string | undefined {
  const encoding = String(req.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  if (!COMPRESSED.has(encoding) || !(err instanceof Error)) return undefined;
  const { status, type, errno } = err as { status?: unknown; type?: unknown; errno?: unknown };
  return status === 400 && type === undefined && typeof errno === 'number' ? encoding : undefined;
}

function toResponse(err: unknown, requestId: string): { status: number; body: ErrorBody; unexpected: boolean } {
  if (err instanceof AppError) {
    return {
      status: err.status,
      body: { error: { code: err.code, message: err.message, details: err.details } },
      unexpected: err.status >= 500,
    };
  }
  if (err instanceof z.ZodError) {
    const v = validationErrorFrom(err);
    return { status: 400, body: { error: { code: v.code, message: v.message, details: v.details } }, unexpected: false };
  }
  const type = (err as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && BODY_ERRORS[type]) {
    const [status, code, message] = BODY_ERRORS[type]!;
    return { status, body: { error: { code, message, details: {} } }, unexpected: false };
  }
  return {
    status: 500,
    body: {
      error: { code: 'INTERNAL', message: `internal error; the server log has the details (request ${requestId})`, details: { requestId } },
    },
    unexpected: true,
  };
}

/**
 * What may be logged of an unexpected error. knex puts the SQL with its bound values into the
 * message and mysql2 adds `sql`: bound values can be password or token hashes, so both go.
 */
export function loggableError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const withoutSql = (text: string) =>
    /^\s*(select|insert|update|delete|with|create|alter|drop)\b/i.test(text) ? text.replace(/^[\s\S]*? - /, '[sql] - ') : text;
  const message = withoutSql(err.message);
  const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    message,
    ...(typeof code === 'string' ? { code } : {}),
    stack: [`${err.name}: ${message}`, ...frames].join('\n'),
  };
}

/** The one place errors become HTTP answers. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const requestId = requestIdOf(res);
    const encoding = undecodableEncoding(err, req);
    if (encoding !== undefined) {
      logger.warn(
        { reqId: requestId, method: req.method, path: req.originalUrl.split('?')[0], encoding, problem: (err as Error).message },
        'request body could not be decoded',
      );
      err = new AppError('INVALID_BODY_ENCODING', `the request body is not valid Content-Encoding ${encoding}`, 400, { encoding });
    }
    const { status, body, unexpected } = toResponse(err, requestId);
    if (unexpected)
      logger.error(
        { reqId: requestId, method: req.method, path: req.originalUrl.split('?')[0], error: loggableError(err) },
        'request failed',
      );
    if (res.headersSent) {
      // A download already under way cannot turn into a JSON error: cut it so the client sees it failed.
      res.destroy();
      return;
    }
    res.status(status).json(body);
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`no such route: ${req.method} ${req.originalUrl.split('?')[0]!.slice(0, 200)}`));
};
