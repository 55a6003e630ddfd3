import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { TEST_PASSWORD } from '../../helpers/http.ts';

export type ScreenName = 'Dashboard' | 'Orders' | 'Link customers' | 'Sage accounts' | 'Export batches' | 'Books' | 'Settings' | 'Users';

/**
 * What a person does on the admin page, in their words: sign in, open a screen, find an order,
 * read the drawer, act on a selection. Scenarios read as stories; a new screen adds its steps here.
 */
export class AdminPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async signIn(username: string, password = TEST_PASSWORD): Promise<void> {
    await this.page.goto(`${this.baseUrl}/`);
    await this.page.getByLabel('Username').fill(username);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await this.page.getByRole('banner').waitFor();
    await this.heading('Dashboard').waitFor();
  }

  menuButton(): Locator {
    return this.page.getByRole('banner').getByRole('button', { name: 'Menu' });
  }

  /** On a narrow screen the navigation and "Sign out" are in the menu: opens it when it is closed. */
  async openMenuIfFolded(): Promise<void> {
    if ((await this.menuButton().isVisible()) && (await this.menuButton().getAttribute('aria-expanded')) !== 'true')
      await this.menuButton().click();
  }

  async signOut(): Promise<void> {
    await this.openMenuIfFolded();
    await this.page.getByRole('button', { name: 'Sign out' }).click();
    await this.page.getByRole('heading', { name: 'Sign in to woo-sage' }).waitFor();
  }

  nav(): Locator {
    return this.page.getByRole('navigation', { name: 'Main' });
  }

  heading(name: string): Locator {
    return this.page.getByRole('heading', { level: 1, name });
  }

  async open(screen: ScreenName): Promise<void> {
    await this.openMenuIfFolded();
    await this.nav().getByRole('link', { name: screen }).click();
    await this.heading(screen).waitFor();
    await this.page.getByText('Loading…').waitFor({ state: 'detached' });
  }

  /** Orders screen: set the filters and apply them. */
  async filterOrders(filters: { state?: string; search?: string }): Promise<void> {
    if (filters.state !== undefined) await this.page.getByLabel('State', { exact: true }).selectOption(filters.state);
    if (filters.search !== undefined) await this.page.getByLabel('Search').fill(filters.search);
    await this.page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => this.page.getByRole('status').filter({ hasText: /match/ }).count()).toBe(1);
  }

  orderRow(orderId: number): Locator {
    return this.page.getByRole('row').filter({ has: this.page.getByRole('button', { name: `Show order #${orderId}` }) });
  }

  /** Opens an order's drawer from the orders table; returns the dialog. */
  async openOrder(orderId: number): Promise<Locator> {
    await this.page.getByRole('button', { name: `Show order #${orderId}` }).click();
    const drawer = this.drawer(`Order ${orderId}`);
    await drawer.getByRole('heading', { name: 'Why' }).waitFor();
    return drawer;
  }

  drawer(title: string): Locator {
    return this.page.getByRole('dialog', { name: title });
  }

  async selectOrders(orderIds: number[]): Promise<void> {
    for (const id of orderIds) await this.page.getByRole('checkbox', { name: `Select order ${id}` }).check();
  }

  bulkBar(): Locator {
    return this.page.getByRole('region', { name: 'Selected orders' });
  }

  /** Clicks a bulk action for the selected orders; returns the result line it shows. */
  async runBulkAction(label: string): Promise<Locator> {
    await this.bulkBar().getByRole('button', { name: label }).click();
    return this.bulkBar().getByRole('status');
  }

  /** Link customers screen: the table row of a customer (by the name or email shown in it). */
  linkRow(customer: string): Locator {
    return this.page
      .getByRole('table', { name: 'WooCommerce customers and their Sage accounts' })
      .getByRole('row')
      .filter({ hasText: customer });
  }

  /** Link customers screen: types a code into a customer's row. */
  async enterCode(customer: string, code: string): Promise<void> {
    await this.page.getByLabel(`Sage account code for ${customer}`).fill(code);
  }

  /** Link customers screen: saves every changed row; returns the summary line once it is there. */
  async saveLinks(): Promise<string> {
    await this.page.getByRole('button', { name: 'Save links' }).click();
    const status = this.page.locator('.link-form .form-status');
    await expect.poll(() => status.textContent()).toMatch(/^(Saved|Not saved|Nothing)/);
    return (await status.textContent()) ?? '';
  }

  /** The warning shown before saving a code the Sage account mirror does not have; returns its text, then chooses. */
  async answerCodeWarning(choice: string | RegExp): Promise<string> {
    const warning = this.page.getByRole('alertdialog', { name: 'Check before saving' });
    await warning.waitFor();
    const text = (await warning.textContent()) ?? '';
    await warning.getByRole('button', { name: choice }).click();
    await warning.waitFor({ state: 'detached' });
    return text;
  }

  /** Sage accounts screen: uploads a Customer XML export; returns the summary (or the error) shown. */
  async importAccounts(file: string, options: { full?: boolean } = {}): Promise<string> {
    await this.page.getByLabel('Customer XML file').setInputFiles(file);
    if (options.full) await this.page.getByLabel(/This is a full export/).check();
    await this.page.getByRole('button', { name: 'Import', exact: true }).click();
    const outcome = this.page.locator('.import-summary, .import-form .field-error:not(:empty)');
    await outcome.first().waitFor();
    return (await outcome.first().textContent()) ?? '';
  }

  /** Calls the API from inside the page, as the signed-in user, with the session's CSRF token. */
  async callApi(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    return this.page.evaluate(
      async ({ method, path, body }) => {
        const me = await fetch('/api/me');
        const csrf = me.ok ? ((await me.json()) as { csrfToken?: string }).csrfToken : undefined;
        const res = await fetch(path, {
          method,
          headers: { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : undefined };
      },
      { method, path, body },
    );
  }
}
