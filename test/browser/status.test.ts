import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { catalogueText as text, useBrowserSuite } from '../support/browser.ts';
import { makeToken, makeUser } from '../support/factories.ts';
import { approveAndAllocate, registerNeedVia, shipVia } from '../support/devices.ts';
import { stack } from '../support/stack.ts';
import { saveInstitution } from '../../src/institutions/service.ts';
import request from 'supertest';

/**
 * A parent checks a device on the public status page, on a phone-sized screen, in each language:
 * the code typed in lower case without dashes finds the child's first name, the step it has reached
 * with the steps before it, and where and when to collect the device; nothing else of the child.
 */
describe('parents status page in a browser', () => {
  const suite = useBrowserSuite();
  let code: string;

  before(async () => {
    const coord = await makeUser('coordinator');
    const coordToken = await makeToken(coord.email);
    const principalToken = await makeToken(suite.principal.email);
    const session = await request(stack().app).get('/api/session').set('Authorization', `Bearer ${principalToken}`).expect(200);
    const instCode = (session.body.user ?? session.body).institution as string;
    await saveInstitution({ kind: 'system', name: 'test' }, { code: instCode, name: 'Liepājas Raiņa 6. vidusskola', type: 'school', address: 'Ludviga Paegles iela 20, Liepāja' });
    const need = await registerNeedVia(principalToken, { firstName: 'Kārlis', lastName: 'Zariņš' });
    await shipVia(coordToken, [{ serial: 'BRW-1', type: 'laptop' }]);
    await approveAndAllocate(coordToken, [{ need: need.id, serial: 'BRW-1' }]);
    await request(stack().app).post(`/api/device-needs/${need.id}/ready`).set('Authorization', `Bearer ${principalToken}`).send({ from: '2020-04-06', hours: '9:00–15:00' }).expect(200);
    code = need.referenceCode;
  });

  async function lookUp(page: Page, lang: 'lv' | 'ru' | 'en', typed: string) {
    await page.goto('/status');
    if (lang !== 'lv') {
      await page.locator(`a[data-lang="${lang}"]`).click();
      await page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
    }
    await page.getByLabel(text(lang, 'status.code'), { exact: true }).fill(typed);
    await page.getByRole('button', { name: text(lang, 'status.submit'), exact: true }).click();
  }

  for (const lang of ['lv', 'ru', 'en'] as const) {
    it(`shows the device's steps and the pickup place in ${lang}`, async () => {
      const page = await suite.open({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
      await lookUp(page, lang, code.toLowerCase().replace(/-/g, ''));
      const card = page.locator('.status-item');
      await card.waitFor();
      const shown = (await card.textContent()) ?? '';
      expect(shown).to.include('Kārlis');
      expect(shown).not.to.include('Zariņš');
      expect(shown).not.to.include('BRW-1');
      expect((await card.locator('.status-now').textContent())?.trim()).to.equal(text(lang, 'status.steps.device.ready_for_pickup'));
      const steps = await card.locator('.steps li .step').allTextContents();
      expect(steps.map((s) => s.trim())).to.deep.equal(['registered', 'approved', 'allocated', 'ready_for_pickup'].map((s) => text(lang, `status.steps.device.${s}`)));
      expect(await card.locator('[data-detail="pickupPlace"]').textContent()).to.equal('Liepājas Raiņa 6. vidusskola, Ludviga Paegles iela 20, Liepāja');
      expect(await card.locator('[data-detail="pickupHours"]').textContent()).to.equal('9:00–15:00');
      // The page fits a phone: nothing wider than the screen.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).to.be.at.most(0);

      // On the narrowest phones the place goes under its name, not into a column a syllable wide
      // beside it (the Russian name is the widest). No second lookup: the page keeps the answer.
      await page.setViewportSize({ width: 320, height: 640 });
      const boxes = await card.locator('[data-detail="pickupPlace"]').evaluate((dd) => {
        const [a, b] = [dd.previousElementSibling!.getBoundingClientRect(), dd.getBoundingClientRect()];
        return { nameLeft: a.left, below: b.top >= a.bottom, left: b.left, width: b.width, page: document.documentElement.scrollWidth - window.innerWidth };
      });
      expect(boxes.left, 'the place starts where its name does').to.equal(boxes.nameLeft);
      expect(boxes.below, 'the place below its name').to.equal(true);
      expect(boxes.width, 'the place as wide as the card allows').to.be.greaterThan(200);
      expect(boxes.page, 'wider than a 320-pixel phone').to.be.at.most(0);
    });
  }

  it('answers a wrong code with the same message as an unknown one', async () => {
    const page = await suite.open();
    await lookUp(page, 'en', code.slice(0, -1) + (code.endsWith('Z') ? 'Y' : 'Z'));
    const wrong = await page.getByRole('alert').textContent();
    await lookUp(page, 'en', 'nonsense');
    const malformed = await page.getByRole('alert').textContent();
    expect(wrong).to.equal(text('en', 'status.notFound'));
    expect(malformed).to.equal(wrong);
  });
});
