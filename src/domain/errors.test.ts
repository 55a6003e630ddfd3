import { describe, expect, it } from 'vitest';
import { AppError, ConflictError, NotFoundError, ValidationError } from './errors.ts';

describe('typed errors', () => {
  it.each([
    [() => new ValidationError('bad', { field: 'x' }), 'ValidationError', 'VALIDATION_FAILED', 400, { field: 'x' }],
    [() => new NotFoundError('gone', { id: 1 }), 'NotFoundError', 'NOT_FOUND', 404, { id: 1 }],
    [() => new ConflictError('taken', { code: 'A' }), 'ConflictError', 'CONFLICT', 409, { code: 'A' }],
    [() => new AppError('BROKEN', 'oops'), 'AppError', 'BROKEN', 500, {}],
  ] as const)('%#: an error has its name (%s), code, HTTP status and details', (make, name, code, status, details) => {
    const error = make();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toBeInstanceOf(Error);
    expect({ name: error.name, code: error.code, status: error.status, details: error.details }).toEqual({ name, code, status, details });
  });

  it('when no details are given, then they are empty', () => {
    for (const error of [new ValidationError('a'), new NotFoundError('b'), new ConflictError('c')]) {
      expect(error.details).toEqual({});
      expect(error.message).toMatch(/^[abc]$/);
    }
  });
});
