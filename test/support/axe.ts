import { createRequire } from 'node:module';
import type { AxeResults, Result } from 'axe-core';
import type { Page } from 'playwright-core';

/** axe-core's browser build, the script that is put into the page under test. */
const axeScript = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The WCAG 2.0 and 2.1 rules at levels A and AA: what the city's pages have to meet. */
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The impacts a page must not have: these keep someone from using the page at all. */
const blocking = new Set(['serious', 'critical']);

/**
 * Runs axe-core's WCAG 2.1 A/AA rules on the page as it is now and returns every violation.
 * The pages send a strict CSP (no inline script), so open the page's context with
 * `bypassCSP: true`, or the script cannot be added.
 */
export async function axeViolations(page: Page): Promise<Result[]> {
  await page.addScriptTag({ path: axeScript });
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) throw new Error('axe-core did not load into the page: open its browser context with bypassCSP: true');
  const results = await page.evaluate(
    (values) => (window as unknown as { axe: { run(ctx: Document, o: object): Promise<AxeResults> } }).axe.run(document, { runOnly: { type: 'tag', values } }),
    wcagTags,
  );
  return results.violations;
}

/** One violation, written so the message says what to fix and where. */
function describe(v: Result, nodes = 3): string {
  const where = v.nodes.slice(0, nodes).map((n) => `    at ${n.target.join(' ')}\n       ${n.html.replace(/\s+/g, ' ').slice(0, 240)}`);
  const more = v.nodes.length > nodes ? [`    … and ${v.nodes.length - nodes} more`] : [];
  return [`  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'})`, ...where, ...more].join('\n');
}

/**
 * Fails when the page has a serious or critical WCAG 2.1 A/AA violation, listing each with its rule,
 * what it asks for, and the first few elements (selector and markup). `label` names the page in the
 * message. Returns the violations of lesser impact, which do not fail.
 */
export async function expectNoSeriousViolations(page: Page, label = new URL(page.url()).pathname): Promise<Result[]> {
  const violations = await axeViolations(page);
  const serious = violations.filter((v) => blocking.has(v.impact ?? ''));
  if (serious.length) {
    throw new Error(`${label}: ${serious.length} serious or critical accessibility violation${serious.length === 1 ? '' : 's'}\n${serious.map((v) => describe(v)).join('\n')}`);
  }
  return violations.filter((v) => !blocking.has(v.impact ?? ''));
}
