import { describe, expect, it } from 'vitest';
import { describeDbError } from './db-errors.ts';

describe('describeDbError', () => {
  it('when a statement fails on MySQL, then the message keeps the database’s words and drops the statement and its values', () => {
    const err = Object.assign(
      new Error(`update \`orders\` set \`decision\` = '${'X'.repeat(70_000)}' - Data too long for column 'decision' at row 1`),
      {
        code: 'ER_DATA_TOO_LONG',
        sqlMessage: "Data too long for column 'decision' at row 1",
      },
    );
    expect(describeDbError(err)).toBe("database error ER_DATA_TOO_LONG: Data too long for column 'decision' at row 1");
  });

  it('when a statement fails on SQLite, then the part after the statement is kept', () => {
    const err = Object.assign(new Error('insert into `orders` (`id`) values (1) - UNIQUE constraint failed: orders.id'), {
      code: 'SQLITE_CONSTRAINT_PRIMARYKEY',
    });
    expect(describeDbError(err)).toBe('database error SQLITE_CONSTRAINT_PRIMARYKEY: UNIQUE constraint failed: orders.id');
  });

  it('when the error is not the database’s, then its message is kept, at most 500 characters', () => {
    expect(describeDbError(new Error('order 7: no lines'))).toBe('order 7: no lines');
    expect(describeDbError(new Error('y'.repeat(900)))).toHaveLength(500);
  });
});
