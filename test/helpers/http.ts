import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import type { Knex } from 'knex';
import type { ScryptParams } from '../../src/auth/password.ts';
import type { Role } from '../../src/domain/roles.ts';
import { addUser } from '../../src/auth/users.ts';
import { loadConfig } from '../../config/env.ts';
import { systemClock, type Clock } from '../../src/domain/clock.ts';
import { createApp, type AppOptions } from '../../src/http/app.ts';
import { CSRF_HEADER } from '../../src/http/authenticate.ts';
import type { ServiceTriggers } from '../../src/http/route-spec.ts';
import { SESSION_COOKIE } from '../../src/http/cookies.ts';
import { createLogger } from '../../src/log/logger.ts';
import type { CustomerProfileWriter } from '../../src/woo/profile-writer.ts';

/** Cheap hashing for tests; the format and code path are the production ones. */
export const TEST_SCRYPT: ScryptParams = { ln: 4, r: 8, p: 1 };
export const TEST_PASSWORD = 'correct horse battery staple';
/** Recognisable store credentials: tests assert they never appear in answers or logs. */
export const WOO_KEY = 'ck_0123456789abcdef0123456789abcdef01234567';
export const WOO_SECRET = 'cs_fedcba9876543210fedcba9876543210fedcba98';

export interface TestApp {
  app: Express;
  url: string;
  /** Every log line written while the app ran (JSON text). */
  logs: string[];
  close(): Promise<void>;
}

export async function listen(app: Express): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function startTestApp(
  db: Knex,
  url: string,
  options: AppOptions & {
    clock?: Clock;
    env?: NodeJS.ProcessEnv;
    profileWriter?: CustomerProfileWriter | null;
    triggers?: ServiceTriggers;
  } = {},
): Promise<TestApp> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const config = loadConfig({
    DATABASE_URL: url,
    WOO_URL: 'https://shop.example.com',
    WOO_CONSUMER_KEY: WOO_KEY,
    WOO_CONSUMER_SECRET: WOO_SECRET,
    ...options.env,
  });
  const app = createApp(
    {
      db,
      config,
      logger: createLogger('debug', sink),
      clock: options.clock ?? systemClock,
      profileWriter: options.profileWriter,
      triggers: options.triggers,
    },
    { ...options, auth: { scrypt: TEST_SCRYPT, ...options.auth } },
  );
  const { server, url: base } = await listen(app);
  return {
    app,
    url: base,
    logs,
    // A browser tab still open on the app keeps a connection that close() alone would wait on
    // (a minute, until Node's headers timeout): a test's app goes away with its connections.
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let userSeq = 0;

/** A user with TEST_PASSWORD; returns the username. */
export async function createTestUser(db: Knex, role: Role, username = `${role}${++userSeq}${Date.now() % 100000}`): Promise<string> {
  await addUser(db, { username, password: TEST_PASSWORD, role }, 'test', { scrypt: TEST_SCRYPT });
  return username;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** A small HTTP client with a one-cookie jar, a CSRF token and an optional bearer token. */
export class Client {
  sessionCookie: string | undefined;
  csrfToken: string | undefined;
  bearer: string | undefined;

  constructor(readonly baseUrl: string) {}

  async request(
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.sessionCookie !== undefined) headers.cookie = `${SESSION_COOKIE}=${this.sessionCookie}`;
    if (this.csrfToken !== undefined && !['GET', 'HEAD'].includes(method)) headers[CSRF_HEADER] = this.csrfToken;
    if (this.bearer !== undefined) headers.authorization = `Bearer ${this.bearer}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined && !['GET', 'HEAD'].includes(method)) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (setCookie) {
      const value = decodeURIComponent(setCookie.slice(SESSION_COOKIE.length + 1).split(';')[0]!);
      this.sessionCookie = value === '' ? undefined : value;
    }
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  }

  get = (path: string, headers?: Record<string, string>) => this.request('GET', path, { headers });
  post = (path: string, body?: unknown) => this.request('POST', path, { body: body ?? {} });
  put = (path: string, body?: unknown) => this.request('PUT', path, { body: body ?? {} });

  /** Signs in with a session; keeps the cookie and the CSRF token. */
  async login(username: string, password = TEST_PASSWORD): Promise<Answer> {
    const answer = await this.post('/api/login', { username, password });
    if (answer.status === 200) this.csrfToken = answer.body.csrfToken;
    return answer;
  }
}
