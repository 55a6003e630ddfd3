import { describe, expect, it } from 'vitest';
import { describeConnectFailure } from './connect.ts';

const MYSQL = 'mysql://woo:pw@db.example.com:3307/woo_sage';

describe('describeConnectFailure', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, MYSQL, 'nothing answers at db.example.com:3307 (connection refused)'],
    [{ code: 'ENOTFOUND' }, MYSQL, 'the host db.example.com cannot be found (ENOTFOUND)'],
    [{ code: 'ETIMEDOUT' }, MYSQL, 'db.example.com:3307 does not answer (ETIMEDOUT)'],
    [
      { code: 'ER_ACCESS_DENIED_ERROR', message: "Access denied for user 'woo'" },
      MYSQL,
      "refused the user name or password (Access denied for user 'woo')",
    ],
    [
      { code: 'ER_BAD_DB_ERROR', message: "Unknown database 'woo_sage'" },
      MYSQL,
      "does not exist on the server (Unknown database 'woo_sage')",
    ],
    [{ name: 'KnexTimeoutError' }, MYSQL, 'did not accept a connection in time'],
    [{ code: 'SQLITE_NOTADB' }, 'sqlite:/tmp/x.sqlite', '/tmp/x.sqlite is not a SQLite database file'],
  ])('when the driver fails with %o, then the line names DATABASE_URL and the problem, without the password', (err, url, words) => {
    const line = describeConnectFailure(err, url)!;
    expect(line.startsWith('DATABASE_URL: ')).toBe(true);
    expect(line).toContain(words);
    expect(line).not.toContain(':pw@');
    expect(line.split('\n')).toHaveLength(1);
  });

  it('when the failure is not about reaching the database (a failed statement), then it is not blamed on DATABASE_URL', () => {
    expect(describeConnectFailure({ code: 'ER_PARSE_ERROR', message: 'syntax' }, MYSQL)).toBeUndefined();
    expect(describeConnectFailure(new Error('bug'), MYSQL)).toBeUndefined();
  });
});
