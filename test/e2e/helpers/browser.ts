import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it). Playwright never downloads one. */
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SCREENSHOT_DIR = path.resolve('test-artifacts', 'screenshots');

/** A laptop screen: the page must work at this size. */
export const VIEWPORT = { width: 1366, height: 768 };

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

/** Why the e2e suites cannot run here and how to fix it, or undefined when they can. */
export function chromiumMissing(executable: string = CHROMIUM): string | undefined {
  if (fs.existsSync(executable)) return undefined;
  return `needs Chromium at ${executable}, which is not installed: sudo apt-get install -y chromium (Debian/Ubuntu; playwright-core downloads no browser), then npx vitest run test/e2e`;
}

export interface Browser {
  context: BrowserContext;
  /** A new tab with no cookies (nobody signed in), watched for problems; only `appUrl`'s origin may be loaded. */
  freshPage(appUrl: string): Promise<WatchedPage>;
  close(): Promise<void>;
}

export interface WatchedPage {
  page: Page;
  /** Console errors, uncaught exceptions, and requests to any origin but the app's (which are blocked). */
  problems: string[];
}

/** Chromium with a fresh profile directory, removed on close. */
export async function launchBrowser(): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: VIEWPORT,
    acceptDownloads: true,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  return {
    context,
    async freshPage(appUrl) {
      const origin = new URL(appUrl).origin;
      await context.clearCookies();
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const problems: string[] = [];
      page.on('console', (m) => {
        // Chromium logs every 400/401/403 answer; here those are a session check or a refusal the scenario asks for.
        if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 40[013] /.test(m.text()))
          problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
        problems.push(`request to another origin: ${url}`);
        return route.abort();
      });
      return { page, problems };
    },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false });
  return file;
}
