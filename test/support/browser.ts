import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { languages, loadCatalogue, type Lang } from '../../src/i18n/index.ts';
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
export async function startBrowserStack(): Promise<{ baseURL: string; browser: Browser; close(): Promise<void> }> {
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
