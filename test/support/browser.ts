import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { languages, loadCatalogue, type Lang } from '../../src/i18n/index.ts';
import { makeInstitution, makeUser } from './factories.ts';
import { stack } from './stack.ts';

/** Texts come from the catalogues, so browser tests follow any rewording of the pages. */
const catalogues = Object.fromEntries(languages.map((l) => [l, loadCatalogue(l)])) as Record<Lang, Record<string, unknown>>;

/** A catalogue text by its dotted key, with `{{name}}` placeholders filled from `vars`. */
export function catalogueText(lang: Lang, key: string, vars: Record<string, string> = {}): string {
  let value: unknown = catalogues[lang];
  for (const part of key.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  if (typeof value !== 'string') throw new Error(`no text "${key}" in the ${lang} catalogue`);
  return value.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => vars[name] ?? whole);
}

/** The test stack's app on a loopback port and Debian's Chromium, headless; `close` stops both. */
async function startBrowserStack(): Promise<{ baseURL: string; browser: Browser; close(): Promise<void> }> {
  const server = http.createServer(stack().app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The flags keep Chromium from reaching out to the network, which this machine's tests never have.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    baseURL,
    browser,
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type BrowserSuite = {
  /** A principal of an institution made for the suite. */
  readonly principal: Awaited<ReturnType<typeof makeUser>>;
  /** A page in a fresh browser context on the app (closing the previous one); closed after each test. */
  open(options?: BrowserContextOptions): Promise<Page>;
};

/**
 * Registers the hooks every browser suite needs: the app and Chromium for the suite, a principal
 * to sign in as, and one browser context per test. Call it in the suite's `describe` body; use
 * what it returns inside tests and hooks.
 */
export function useBrowserSuite(): BrowserSuite {
  let started: Awaited<ReturnType<typeof startBrowserStack>> | undefined;
  let principal: BrowserSuite['principal'] | undefined;
  let context: BrowserContext | undefined;
  before(async () => {
    started = await startBrowserStack();
    principal = await makeUser('principal', (await makeInstitution()).code);
  });
  after(async () => {
    await started?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });
  return {
    get principal() {
      if (!principal) throw new Error('useBrowserSuite: the suite has not started yet');
      return principal;
    },
    async open(options = {}) {
      await context?.close();
      context = await started!.browser.newContext({ baseURL: started!.baseURL, ...options });
      return context.newPage();
    },
  };
}

/** Signs in through the page (Latvian labels) and waits for the dashboard. */
export async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel(catalogueText('lv', 'signin.email'), { exact: true }).fill(who.email);
  await page.getByLabel(catalogueText('lv', 'signin.password'), { exact: true }).fill(who.password);
  await page.getByRole('button', { name: catalogueText('lv', 'signin.submit'), exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/dashboard');
}

/** An element's text with its white space collapsed. */
export async function trimmed(l: Locator): Promise<string> {
  return ((await l.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** How many pixels the page is wider than the window (0 when nothing scrolls sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
