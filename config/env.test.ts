import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, requireStoreConfig } from './env.ts';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('when nothing is set, then the embedded SQLite default and documented defaults apply', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ databaseUrl: 'sqlite:./data/woo-sage.sqlite', outboxDir: './outbox', port: 8080 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when DATABASE_URL has an unknown scheme, then one line names the variable and hides the password', () => {
    const problems = problemsOf({ DATABASE_URL: 'postgres://admin:hunter2@db/shop' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^DATABASE_URL: expected sqlite:<path> or mysql:\/\//);
    expect(problems[0]).toContain('admin:***@db');
    expect(problems[0]).not.toContain('hunter2');
  });

  it('when a mysql URL has no database, then the message says so', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://root@127.0.0.1:3306' })[0]).toContain('database name is missing');
  });

  it('when several variables are bad, then there is one line per variable', () => {
    const problems = problemsOf({ PORT: '99999', WOO_URL: 'not a url', LOG_LEVEL: 'loud' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT', 'WOO_URL']);
  });

  it('when a secret is rejected, then its value is never echoed', () => {
    const schemaLike = { WOO_URL: 'ftp://x', WOO_CONSUMER_SECRET: 'cs_supersecret' };
    const text = problemsOf(schemaLike).join('\n');
    expect(text).not.toContain('cs_supersecret');
  });

  it('when HOST is set, then it is the bind address; one that is no address is refused naming HOST', () => {
    expect(loadConfig({}).host).toBeUndefined();
    expect(loadConfig({ HOST: ' 127.0.0.1 ' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
    expect(loadConfig({ HOST: 'localhost' }).host).toBe('localhost');
    expect(problemsOf({ HOST: 'http://0.0.0.0:80' })[0]).toMatch(/^HOST: expected an address to bind to/);
  });

  it('when OUTBOX_FILE_MODE / OUTBOX_DIR_MODE are set, then they are the octal modes; one writable by others is refused', () => {
    expect(loadConfig({}).outboxModes).toEqual({ file: 0o640, dir: 0o750 });
    expect(loadConfig({ OUTBOX_FILE_MODE: '0660', OUTBOX_DIR_MODE: '770' }).outboxModes).toEqual({ file: 0o660, dir: 0o770 });
    expect(problemsOf({ OUTBOX_FILE_MODE: '0666' })[0]).toMatch(
      /^OUTBOX_FILE_MODE: expected an octal mode such as 0640 or 0660, not writable by others/,
    );
    expect(problemsOf({ OUTBOX_DIR_MODE: 'rwx' })[0]).toMatch(/^OUTBOX_DIR_MODE: /);
  });

  it('when TRUST_PROXY names proxies or hops, then it is kept; trusting everyone is refused', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(problemsOf({ TRUST_PROXY: 'true' })[0]).toMatch(/^TRUST_PROXY: expected false, a hop count/);
  });

  it('when the store is not configured, then requireStoreConfig names each missing variable', () => {
    const config = loadConfig({ WOO_URL: 'https://shop.example.com' });
    expect(() => requireStoreConfig(config)).toThrow(ConfigError);
    try {
      requireStoreConfig(config);
    } catch (err) {
      expect((err as ConfigError).problems.map((p) => p.split(':')[0])).toEqual(['WOO_CONSUMER_KEY', 'WOO_CONSUMER_SECRET']);
    }
  });

  it('when the store is configured, then requireStoreConfig returns it', () => {
    const config = loadConfig({ WOO_URL: 'https://shop.example.com', WOO_CONSUMER_KEY: 'ck_1', WOO_CONSUMER_SECRET: 'cs_1' });
    expect(requireStoreConfig(config)).toEqual({ url: 'https://shop.example.com', consumerKey: 'ck_1', consumerSecret: 'cs_1' });
  });
});
