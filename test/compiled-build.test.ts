import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { bundlePage } from '../src/http/page/assets.ts';
import { migrationSource } from '../src/db/migrator.ts';
import { startSandbox } from '../src/sandbox/sandbox.ts';
import { runWooSage } from './helpers/cli.ts';
import { freePort } from './helpers/free-port.ts';
import { createTestDatabase, testDialects } from './helpers/test-db.ts';

/**
 * The compiled build as `npm install` makes it (tsc -p tsconfig.build.json, then the page bundle),
 * written to a folder of its own so the test never runs a dist/ older than the sources, and the
 * package bin run from it.
 */
const ROOT = path.join(import.meta.dirname, '..');
const run = promisify(execFile);
let build: string;

beforeAll(async () => {
  build = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-build-'));
  const dist = path.join(build, 'dist');
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(build, 'node_modules'), 'dir');
  await run(process.execPath, [
    path.join(ROOT, 'node_modules/typescript/bin/tsc'),
    '-p',
    path.join(ROOT, 'tsconfig.build.json'),
    '--outDir',
    dist,
  ]);
  await run(process.execPath, [path.join(dist, 'src/http/page/write-bundle.js'), path.join(ROOT, 'src/http/page')]);
  fs.mkdirSync(path.join(build, 'bin'));
  fs.copyFileSync(path.join(ROOT, 'bin/woo-sage.js'), path.join(build, 'bin/woo-sage.js'));
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(build, 'package.json'));
}, 600_000);
afterAll(() => fs.rmSync(build, { recursive: true, force: true }));

/** Runs the compiled bin to the end; `preload` are node options such as --import. */
async function compiled(args: string[], env: Record<string, string> = {}, preload: string[] = []) {
  try {
    const { stdout, stderr } = await run(process.execPath, [...preload, path.join(build, 'bin/woo-sage.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the compiled bin', () => {
  it('when asked for its version and help, then it answers as the sources do, loading no package but commander, in under 80 MB', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await compiled(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });

    const record = path.join(build, 'packages.txt');
    const preload = [
      '--import',
      path.join(ROOT, 'test/helpers/record-packages.mjs'),
      '--require',
      path.join(ROOT, 'test/helpers/report-peak-rss.cjs'),
    ];
    const help = await compiled(['--help'], { RECORD_PACKAGES_TO: record }, preload);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe((await runWooSage(['--help'], {})).stdout);
    expect([...new Set(fs.readFileSync(record, 'utf8').split('\n').filter(Boolean))]).toEqual(['commander']);
    const peakKb = Number(/PEAK_RSS_KB=(\d+)/.exec(help.stderr)?.[1]);
    expect(peakKb).toBeGreaterThan(0);
    expect(peakKb).toBeLessThan(80 * 1024);
  });

  it('when the build is missing, then the bin says how to make it (exit 2)', async () => {
    const empty = fs.mkdtempSync(path.join(build, 'unbuilt-'));
    fs.mkdirSync(path.join(empty, 'bin'));
    fs.copyFileSync(path.join(ROOT, 'bin/woo-sage.js'), path.join(empty, 'bin/woo-sage.js'));
    await expect(run(process.execPath, [path.join(empty, 'bin/woo-sage.js'), '--help'])).rejects.toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'woo-sage is not built: run `npm install` (or `npm run build`) in its folder first\n',
    });
  });
});

for (const dialect of testDialects()) {
  describe(`migrations from the build [${dialect}]`, () => {
    it('when the compiled bin meets a database the sources migrated, then nothing is applied; on an empty one, it records the same names', async () => {
      const names = (await migrationSource.getMigrations([])).map((m) => m.file);
      const migrated = await createTestDatabase(dialect);
      onTestFinished(() => migrated.destroy());
      const before = await migrated.db('knex_migrations').orderBy('id').select('id', 'name', 'batch');
      expect(await compiled(['migrate', '--json'], { DATABASE_URL: migrated.url })).toEqual({
        code: 0,
        stdout: '{"applied":[]}\n',
        stderr: '',
      });
      expect(await migrated.db('knex_migrations').orderBy('id').select('id', 'name', 'batch')).toEqual(before);

      const empty = await createTestDatabase(dialect, { migrate: false });
      onTestFinished(() => empty.destroy());
      const result = await compiled(['migrate', '--json'], { DATABASE_URL: empty.url });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ applied: names });
      expect(await empty.db('knex_migrations').orderBy('id').pluck('name')).toEqual(names);
    }, 120_000);
  });
}

describe('serve from the build', () => {
  it('when started, then it answers /healthz and serves the page bundled at build time, the same bytes the sources bundle', async () => {
    const database = await createTestDatabase('sqlite');
    onTestFinished(() => database.destroy());
    const sandbox = await startSandbox({ orders: 1 });
    onTestFinished(() => sandbox.close());
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(build, 'bin/woo-sage.js'), 'serve', '--no-sync-on-start'], {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: database.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        WOO_URL: sandbox.url,
        WOO_CONSUMER_KEY: sandbox.consumerKey,
        WOO_CONSUMER_SECRET: sandbox.consumerSecret,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    onTestFinished(() => void child.kill('SIGKILL'));
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${stdout}`)), 30_000);
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        if (stdout.includes('listening on')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const sources = await bundlePage();
    for (const [name, route] of [
      ['index.html', '/'],
      ['app.js', '/assets/app.js'],
      ['app.css', '/assets/app.css'],
    ] as const) {
      const res = await fetch(`${base}${route}`);
      expect(res.status, name).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(sources.get(name)!), name).toBe(true);
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
