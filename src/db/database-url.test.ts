import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeDatabaseUrl, parseDatabaseUrl } from './database-url.ts';

describe('parseDatabaseUrl', () => {
  it('when given a relative sqlite path, then it resolves it', () => {
    expect(parseDatabaseUrl('sqlite:./data/x.sqlite')).toEqual({ dialect: 'sqlite', filename: path.resolve('data/x.sqlite') });
  });

  it('when given sqlite:///abs, then the absolute path is kept', () => {
    expect(parseDatabaseUrl('sqlite:///var/lib/x.sqlite')).toEqual({ dialect: 'sqlite', filename: '/var/lib/x.sqlite' });
  });

  it('when given a mysql URL with encoded credentials, then they are decoded', () => {
    expect(parseDatabaseUrl('mysql://shop%40app:p%3Ass@db.internal:3307/woo_sage')).toEqual({
      dialect: 'mysql',
      host: 'db.internal',
      port: 3307,
      user: 'shop@app',
      password: 'p:ss',
      database: 'woo_sage',
    });
  });

  it('when the port is omitted, then 3306 is used', () => {
    expect(parseDatabaseUrl('mysql://root@localhost/test')).toMatchObject({ port: 3306, password: '' });
  });

  it('when the URL is unusable, then the error never contains it', () => {
    expect(() => parseDatabaseUrl('mysql://u:topsecret@')).toThrow(/^(?!.*topsecret)/);
  });
});

describe('describeDatabaseUrl', () => {
  it('when the URL has a password, then it is masked', () => {
    expect(describeDatabaseUrl('mysql://root:pw@h:3306/db')).toBe('mysql://root:***@h:3306/db');
    expect(describeDatabaseUrl('sqlite:./x')).toBe('sqlite:./x');
  });
});
