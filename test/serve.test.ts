import { spawn } from 'node:child_process';
import { expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../config/env.ts';
import { defineRoute } from '../src/http/route-spec.ts';
import { startService } from '../src/main.ts';
import { startSandbox } from '../src/sandbox/sandbox.ts';
import { WOO_SAGE_ARGS } from './helpers/cli-entry.ts';
import { captureLogger } from './helpers/capture-logger.ts';
import { runWooSage } from './helpers/cli.ts';
import { freePort } from './helpers/free-port.ts';
import { Client, TEST_SCRYPT } from './helpers/http.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const ADMIN_PASSWORD = 'the first owner password';

describeEachDialect('woo-sage serve', (ctx) => {
  it('when started with ADMIN_PASSWORD and no owner, then it migrates, creates "admin" and never logs the password', async () => {
    const { lines, logger } = captureLogger();
    const config = loadConfig({ DATABASE_URL: ctx().url, ADMIN_PASSWORD });
    const service = await startService(config, { logger, port: 0, host: '127.0.0.1', app: { auth: { scrypt: TEST_SCRYPT } } });
    try {
      expect(service.url).toBe(`http://127.0.0.1:${service.port}`);
      const client = new Client(service.url);
      expect((await client.get('/healthz')).status).toBe(200);
      expect((await client.login('admin', ADMIN_PASSWORD)).body.user).toMatchObject({ username: 'admin', role: 'owner' });
      expect(lines.join('')).toContain(`admin page and API listening on ${service.url}`);
      expect(lines.join('')).toContain('created the first owner');
      expect(lines.join('')).not.toContain(ADMIN_PASSWORD);
    } finally {
      await service.stop('test');
    }
    // Once an owner exists the variable does nothing, even if it changes.
    const again = await startService(loadConfig({ DATABASE_URL: ctx().url, ADMIN_PASSWORD: 'a different password now' }), {
      logger: captureLogger().logger,
      port: 0,
      host: '127.0.0.1',
    });
    try {
      expect((await new Client(again.url).login('admin', 'a different password now')).status).toBe(401);
    } finally {
      await again.stop('test');
    }
  });

  it('when HOST names the loopback address, then the server listens there only and says so', async () => {
    const { lines, logger } = captureLogger();
    const service = await startService(loadConfig({ DATABASE_URL: ctx().url, HOST: '127.0.0.1', TRUST_PROXY: '1' }), { logger, port: 0 });
    try {
      expect(service.url).toBe(`http://127.0.0.1:${service.port}`);
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
      await expect(fetch(`http://[::1]:${service.port}/healthz`)).rejects.toThrow();
      expect(lines.join('')).not.toContain('reachable past the proxy');
    } finally {
      await service.stop('test');
    }
  });

  it('when TRUST_PROXY is a hop count and the server listens on every interface, then start-up warns to bind to loopback', async () => {
    const { lines, logger } = captureLogger();
    const service = await startService(loadConfig({ DATABASE_URL: ctx().url, TRUST_PROXY: '1' }), { logger, port: 0 });
    await service.stop('test');
    expect(lines.join('')).toContain('set HOST=127.0.0.1');
  });

  it('when ADMIN_PASSWORD is too short for a new owner, then start-up fails naming the variable', async () => {
    await ctx().db('users').delete();
    await expect(
      startService(loadConfig({ DATABASE_URL: ctx().url, ADMIN_PASSWORD: 'short' }), { logger: captureLogger().logger, port: 0 }),
    ).rejects.toThrow(/ADMIN_PASSWORD: must be at least 12 characters/);
  });

  it('when stopped with a request in flight, then new connections are refused and the request still completes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const slow = () => [
      defineRoute({
        method: 'get',
        path: '/api/test/slow',
        summary: 'Wait for the test',
        tags: ['test'],
        roles: ['owner', 'support'],
        response: z.object({ done: z.boolean() }),
        handler: async () => {
          entered();
          await gate;
          return { done: true };
        },
      }),
    ];
    const { lines, logger } = captureLogger();
    const service = await startService(loadConfig({ DATABASE_URL: ctx().url, ADMIN_PASSWORD }), {
      logger,
      port: 0,
      host: '127.0.0.1',
      app: { routes: [slow], auth: { scrypt: TEST_SCRYPT } },
    });
    const client = new Client(service.url);
    await client.login('admin', ADMIN_PASSWORD);
    const pending = client.get('/api/test/slow');
    await inside;
    const stopped = service.stop('SIGTERM');
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
    release();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ done: true });
    expect(res.headers.get('connection')).toBe('close'); // so keep-alive clients do not hold the shutdown open
    await stopped;
    expect(lines.join('')).toContain('"stopped"');
  });
});

describeEachDialect('woo-sage serve as a process', (ctx) => {
  it('when run through the bin and sent SIGTERM, then it serves, says where, and exits 0', async () => {
    const port = await freePort();
    const sandbox = await startSandbox({ orders: 5 });
    onTestFinished(() => sandbox.close());
    const store = { WOO_URL: sandbox.url, WOO_CONSUMER_KEY: sandbox.consumerKey, WOO_CONSUMER_SECRET: sandbox.consumerSecret };
    const child = spawn(process.execPath, [...WOO_SAGE_ARGS, 'serve', '--since', '2020-01-01', '--no-sync-on-start'], {
      env: { PATH: process.env.PATH, DATABASE_URL: ctx().url, PORT: String(port), ADMIN_PASSWORD, LOG_LEVEL: 'info', ...store },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 20_000);
      child.stdout.on('data', (d) => {
        stdout += d;
        if (stdout.includes('listening on')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    expect(stdout).toContain(`http://localhost:${port}`);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('"stopped"');
    expect(stdout + stderr).not.toContain(ADMIN_PASSWORD);
  });
});

it('when serve is started without the store settings, then it exits 2 naming each missing variable', async () => {
  const { code, stderr } = await runWooSage(['serve'], { DATABASE_URL: 'sqlite::memory:' });
  expect(code).toBe(2);
  expect(stderr.split('\n').map((l) => l.split(':')[0])).toEqual(['WOO_URL', 'WOO_CONSUMER_KEY', 'WOO_CONSUMER_SECRET']);
});
