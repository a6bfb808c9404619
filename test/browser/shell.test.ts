import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { catalogueText as text, useBrowserSuite } from '../support/browser.ts';
import { languages } from '../../src/i18n/index.ts';

async function htmlLang(page: Page): Promise<string | null> {
  return page.evaluate(() => document.documentElement.getAttribute('lang'));
}

async function heading(page: Page): Promise<string> {
  return ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim();
}

describe('page shell in a browser (sign-in, language switch, sign-out)', () => {
  const suite = useBrowserSuite();
  let page: Page;

  beforeEach(async () => {
    page = await suite.open();
  });

  it('signs in, switches language and remembers it, and signs out', async () => {
    // Start page → sign-in link in the header.
    await page.goto('/');
    expect(await htmlLang(page)).to.equal('lv');
    await page.getByRole('banner').getByRole('link', { name: text('lv', 'nav.signIn'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/signin');

    await page.getByLabel(text('lv', 'signin.email'), { exact: true }).fill(suite.principal.email);
    await page.getByLabel(text('lv', 'signin.password'), { exact: true }).fill(suite.principal.password);
    await page.getByRole('button', { name: text('lv', 'signin.submit'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/dashboard');

    const header = page.getByRole('banner');
    await header.getByText(suite.principal.user.name).waitFor();
    expect(await heading(page)).to.equal(text('lv', 'dashboard.title'));

    // Language switch in the header: the page comes back in the chosen language.
    for (const lang of ['ru', 'en'] as const) {
      await header.locator(`a[data-lang="${lang}"]`).click();
      await page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
      expect(new URL(page.url()).pathname).to.equal('/dashboard');
      expect(await htmlLang(page)).to.equal(lang);
      expect(await heading(page)).to.equal(text(lang, 'dashboard.title'));
      expect(await header.locator(`a[data-lang="${lang}"]`).getAttribute('aria-current')).to.equal('true');
    }

    // The choice is remembered in a cookie.
    await page.reload();
    expect(await htmlLang(page)).to.equal('en');
    expect(await heading(page)).to.equal(text('en', 'dashboard.title'));
    const langCookie = (await page.context().cookies()).find((c) => c.name === 'lang');
    expect(langCookie?.value).to.equal('en');

    // Sign out with the header button, in the current language.
    await header.getByRole('button', { name: text('en', 'nav.signOut'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/signin');
    const notice = page.getByRole('status');
    await notice.waitFor();
    expect((await notice.textContent())?.trim()).to.equal(text('en', 'signin.signedOut'));
    expect(await htmlLang(page)).to.equal('en');

    // The session is gone: the overview sends us back to the sign-in form.
    await page.goto('/dashboard');
    await page.waitForURL((url) => url.pathname === '/signin');
    expect(new URL(page.url()).searchParams.get('next')).to.equal('/dashboard');
    await page.getByLabel(text('en', 'signin.email'), { exact: true }).waitFor();
  });

  it('shows the failure in an alert and keeps the typed e-mail after a wrong password', async () => {
    await page.goto('/signin');
    const email = page.getByLabel(text('lv', 'signin.email'), { exact: true });
    await email.fill(suite.principal.email);
    await page.getByLabel(text('lv', 'signin.password'), { exact: true }).fill('wrong-password');
    await page.getByRole('button', { name: text('lv', 'signin.submit'), exact: true }).click();

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect((await alert.textContent())?.trim()).to.equal(text('lv', 'signin.failed'));
    expect(new URL(page.url()).pathname).to.equal('/signin');
    expect(await email.inputValue()).to.equal(suite.principal.email);
    expect(await email.getAttribute('aria-describedby')).to.equal(await alert.getAttribute('id'));
  });

  describe('on a phone-sized screen', () => {
    beforeEach(async () => {
      // A plain small viewport, not mobile emulation: with `isMobile` the browser zooms out to fit
      // wide content, window.innerWidth grows with it, and an overflow would go unnoticed.
      page = await suite.open({ viewport: { width: 375, height: 667 } });
    });

    it('shows the sign-in page without horizontal scrolling in every language', async () => {
      for (const lang of languages) {
        await page.goto(`/lang/${lang}?next=${encodeURIComponent('/signin')}`);
        await page.waitForURL((url) => url.pathname === '/signin');
        await page.getByLabel(text(lang, 'signin.email'), { exact: true }).waitFor();
        expect(await htmlLang(page)).to.equal(lang);
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
        }));
        expect(scrollWidth, `page width in ${lang}`).to.be.at.most(innerWidth);
      }
    });
  });
});
