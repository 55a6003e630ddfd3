import path from 'node:path';

export type DatabaseTarget =
  | { readonly dialect: 'sqlite'; readonly filename: string }
  | {
      readonly dialect: 'mysql';
      readonly host: string;
      readonly port: number;
      readonly user: string;
      readonly password: string;
      readonly database: string;
    };

/** The embedded database a newcomer gets: `./data` is the one folder created when missing. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/woo-sage.sqlite';

const EXPECTED = 'expected sqlite:<path> or mysql://user:password@host:3306/database';

/** Parses DATABASE_URL. Errors never repeat the URL, because it may carry a password. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const value = url.trim();
  if (value.startsWith('sqlite:')) {
    const rest = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (rest === '') throw new Error(`${EXPECTED}; the sqlite path is empty`);
    return { dialect: 'sqlite', filename: rest === ':memory:' ? rest : path.resolve(rest) };
  }
  if (value.startsWith('mysql://') || value.startsWith('mariadb://')) {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new Error(`${EXPECTED}; the mysql URL is malformed`);
    }
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    if (!parsed.hostname) throw new Error(`${EXPECTED}; the host is missing`);
    if (!database) throw new Error(`${EXPECTED}; the database name is missing`);
    if (!/^[A-Za-z0-9_$-]{1,64}$/.test(database)) throw new Error(`${EXPECTED}; the database name has unusual characters`);
    const port = parsed.port ? Number(parsed.port) : 3306;
    return {
      dialect: 'mysql',
      host: parsed.hostname,
      port,
      user: decodeURIComponent(parsed.username || 'root'),
      password: decodeURIComponent(parsed.password),
      database,
    };
  }
  throw new Error(EXPECTED);
}

/** The URL with any password replaced, safe for messages and logs. */
export function describeDatabaseUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}
