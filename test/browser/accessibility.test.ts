import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { catalogueText, signIn, useBrowserSuite } from '../support/browser.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { approveAndAllocate, registerNeedVia, shipVia, validPersonalCode } from '../support/devices.ts';
import { designateVia, requestVia } from '../support/kindergartens.ts';
import { fixture, importFile, makeWorkbook, upload, waitForImport } from '../support/imports.ts';
import { testPersonalCodeKey } from '../support/jobs.ts';
import { resetData, stack } from '../support/stack.ts';
import { GroupModel } from '../../src/institutions/model.ts';
import { MessageModel } from '../../src/notifications/model.ts';
import { DeviceNeedModel } from '../../src/devices/model.ts';
import { messageId } from '../../src/notifications/messageService.ts';
import { contactHash } from '../../src/notifications/contacts.ts';
import type { Lang } from '../../src/i18n/index.ts';

/**
 * Every page type of the service passes axe-core's WCAG 2.1 A/AA rules with nothing serious or
 * critical: the public pages, the coordinator's and the head's pages, in Latvian, a few in Russian
 * and English, and a few on a phone; and the skip link and the sign-in form work from the keyboard.
 */
describe('accessibility of every page type (axe-core, WCAG 2.1 A/AA)', function () {
  this.timeout(90_000);
  const suite = useBrowserSuite();
  // The browser suites share one database (the imports suite counts pupils from an empty one),
  // and the status lookups here count against the per-address limit: leave both as they were.
  after(async () => {
    // The import held waiting goes through before the data is cleared under it.
    stack().jobs.worker.resume();
    if (ids.waitingImportId) await waitForImport(heldToken, ids.waitingImportId);
    await resetData();
  });

  const ids = {} as {
    institution: string;
    need: string;
    pupil: string;
    tag: string;
    referenceCode: string;
    serial: string;
    kindergarten: string;
    request: string;
    period: string;
    importId: string;
    failedImportId: string;
    waitingImportId: string;
    message: string;
    optOut: string;
  };
  let coordinatorState: BrowserContextOptions['storageState'];
  // Whose import is held waiting (see `before`).
  let heldToken = '';
  let principalState: BrowserContextOptions['storageState'];

  before(async function () {
    this.timeout(120_000);
    const tag = randomBytes(3).toString('hex').toUpperCase();
    const coordinator = await makeUser('coordinator');
    const coordToken = await makeToken(coordinator.email);
    const principalToken = await makeToken(suite.principal.email);
    const session = await request(stack().app).get('/api/session').set('Authorization', `Bearer ${principalToken}`).expect(200);
    ids.institution = (session.body.user ?? session.body).institution as string;

    // A device need taken as far as allocated, so its page and the parents' status have steps to show.
    const need = await registerNeedVia(principalToken, { firstName: 'Kārlis', lastName: `Zariņš${tag}` });
    ids.serial = `AX-${tag}`;
    await shipVia(coordToken, [{ serial: ids.serial, type: 'laptop' }, { serial: `AX-${tag}-2`, type: 'tablet' }]);
    await approveAndAllocate(coordToken, [{ need: need.id, serial: ids.serial }]);
    await registerNeedVia(principalToken, { firstName: 'Līga', lastName: `Ozola${tag}`, deviceType: 'tablet' });
    ids.need = need.id;
    ids.pupil = String((await DeviceNeedModel.findById(need.id).lean())!.pupil);
    ids.tag = tag;
    ids.referenceCode = need.referenceCode;

    // A base kindergarten with a group, and a request for a place.
    const kg = await makeInstitution({ type: 'kindergarten', name: `Bērnudārzs ${tag}` });
    await GroupModel.deleteOne({ _id: kg.group!._id });
    await designateVia(coordToken, kg.code, [{ name: 'Mākonīši', capacity: 4 }], '2020-01-01');
    ids.kindergarten = kg.code;
    ids.request = (await requestVia(coordToken)).id;

    // A food period with its entitlements computed.
    const api = (method: 'post' | 'put', url: string, body: object = {}) => request(stack().app)[method](url).set('Authorization', `Bearer ${coordToken}`).send(body);
    await importFile(principalToken, { kind: 'food-entitlements' }, await makeWorkbook(
      ['Personas kods', 'Vārds', 'Uzvārds', 'Klase', 'Statuss', 'Derīgs no', 'Derīgs līdz'],
      [[validPersonalCode(), 'Anna', `Kalna${tag}`, '3.a', 'trūcīga', '01.01.2020', '31.12.2020']],
    ));
    ids.period = (await api('post', '/api/food-periods', { name: `Pavasaris ${tag}`, from: '2020-03-16', to: '2020-05-29', rate: '1.42' }).expect(201)).body.id;
    await api('put', `/api/food-periods/${ids.period}/calendar`, { holidays: ['2020-04-10', '2020-04-13'] }).expect(200);
    await api('post', `/api/food-periods/${ids.period}/compute`).expect(200);

    // An import preview with a rejected row, so the issues table is on the page.
    ids.importId = (await importFile(principalToken, { kind: 'device-needs', dryRun: true }, fixture('device-needs-title-row-phones-as-numbers-one-bad-check-digit.xlsx'))).id;
    // One that failed (no header row), and one waiting in the queue (its bar busy) while the worker is held.
    ids.failedImportId = (await importFile(principalToken, { kind: 'device-needs' }, await makeWorkbook(['Kaut kas'], [['x']]))).id;
    await stack().jobs.worker.pause();
    heldToken = principalToken;
    ids.waitingImportId = (await upload(principalToken, { kind: 'device-needs' }, fixture('device-needs-title-row-phones-as-numbers-one-bad-check-digit.xlsx')).expect(202)).body.id;

    // A failed message in the log, and an opt-out link for an address.
    const key = `a11y.test:${tag}|guardian:${tag}|email`;
    await MessageModel.create({
      _id: messageId(key),
      key,
      event: `a11y.test:${tag}`,
      template: 'device_ready_for_pickup',
      essential: true,
      language: 'lv',
      channel: 'email',
      recipient: { kind: 'guardian', address: `vecaks-${tag}@example.lv`, name: 'Inese Bērziņa' },
      subject: 'Ierīce gatava saņemšanai',
      body: 'Labdien! Ierīce, kas paredzēta Kārlim, ir gatava saņemšanai.',
      status: 'failed',
      attempts: 3,
      failure: { code: 'recipient_rejected', message: '550 mailbox unavailable' },
    });
    ids.message = messageId(key);
    ids.optOut = contactHash(testPersonalCodeKey, `vecaks-${tag}@example.lv`);

    // Sign in once per role; each test starts from the saved cookies.
    const page = await suite.open();
    await signIn(page, coordinator);
    coordinatorState = await page.context().storageState();
    const page2 = await suite.open();
    await signIn(page2, suite.principal);
    principalState = await page2.context().storageState();
  });

  /** A fresh page that axe can be put into (the app's CSP allows no added script otherwise). */
  function open(as: 'anonymous' | 'coordinator' | 'principal', options: BrowserContextOptions = {}): Promise<Page> {
    const storageState = as === 'coordinator' ? coordinatorState : as === 'principal' ? principalState : undefined;
    return suite.open({ bypassCSP: true, ...(storageState ? { storageState } : {}), ...options });
  }

  /** Switches the reader's language the way the header's links do (/lang/:lang?next=…), staying on the same page. */
  async function useLanguage(page: Page, lang: Lang): Promise<void> {
    const here = new URL(page.url());
    await page.goto(`/lang/${lang}?next=${encodeURIComponent(here.pathname + here.search)}`);
    await page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
  }

  /** Opens a page, checks it is the page asked for (not an error or the sign-in form), and runs the check. */
  async function check(page: Page, path: string): Promise<void> {
    const res = await page.goto(path);
    expect(res?.status(), `status of ${path}`).to.be.below(400);
    expect(new URL(page.url()).pathname, `${path} redirected`).to.equal(path.split('?')[0]);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expectNoSeriousViolations(page, `${path} (${await page.evaluate(() => document.documentElement.lang)})`);
  }

  describe('public pages', () => {
    for (const path of ['/', '/signin', '/status']) {
      it(`${path} in Latvian`, async () => {
        await check(await open('anonymous'), path);
      });
    }

    it('/status with a result, in Latvian', async () => {
      const page = await open('anonymous');
      await check(page, '/status');
      await page.getByLabel(catalogueText('lv', 'status.code'), { exact: true }).fill(ids.referenceCode);
      await page.getByRole('button', { name: catalogueText('lv', 'status.submit'), exact: true }).click();
      await page.locator('.status-item').waitFor();
      await expectNoSeriousViolations(page, '/status with a result');
    });

    it('/status with an unknown code, in Russian', async () => {
      const page = await open('anonymous');
      await page.goto('/status');
      await useLanguage(page, 'ru');
      await page.getByLabel(catalogueText('ru', 'status.code'), { exact: true }).fill('nonsense');
      await page.getByRole('button', { name: catalogueText('ru', 'status.submit'), exact: true }).click();
      await page.getByRole('alert').waitFor();
      await expectNoSeriousViolations(page, '/status not found (ru)');
    });

    it('the opt-out page', async () => {
      await check(await open('anonymous'), `/notifications/opt-out/${ids.optOut}`);
    });

    it('the sign-in form after a wrong password, in English', async () => {
      const page = await open('anonymous');
      await page.goto('/signin');
      await useLanguage(page, 'en');
      await page.getByLabel(catalogueText('en', 'signin.email'), { exact: true }).fill(suite.principal.email);
      await page.getByLabel(catalogueText('en', 'signin.password'), { exact: true }).fill('not the password');
      await page.getByRole('button', { name: catalogueText('en', 'signin.submit'), exact: true }).click();
      await page.getByRole('alert').waitFor();
      await expectNoSeriousViolations(page, '/signin failed (en)');
    });

    it('a page that is not there', async () => {
      const page = await open('anonymous');
      const res = await page.goto('/no-such-page');
      expect(res?.status()).to.equal(404);
      await expectNoSeriousViolations(page, '/no-such-page');
    });
  });

  describe("coordinator's pages", () => {
    const pages: Array<[string, () => string]> = [
      ['the overview', () => '/dashboard'],
      ['institutions', () => '/institutions'],
      ['an institution', () => `/institutions/${encodeURIComponent(ids.institution)}`],
      ['device needs', () => '/devices'],
      ['a device need', () => `/devices/needs/${ids.need}`],
      ['a device need\'s agreement', () => `/devices/needs/${ids.need}/agreement`],
      ['a new device need', () => '/devices/new'],
      ['stock', () => '/devices/stock'],
      ['a device', () => `/devices/stock/${encodeURIComponent(ids.serial)}`],
      ['allocation', () => '/devices/allocation'],
      ['deliveries', () => '/devices/deliveries'],
      ['devices due back', () => '/devices/due-back'],
      ['kindergartens', () => '/kindergartens'],
      ['a kindergarten', () => `/kindergartens/${encodeURIComponent(ids.kindergarten)}`],
      ['a kindergarten\'s daily return', () => `/kindergartens/${encodeURIComponent(ids.kindergarten)}/attendance`],
      ['requests for places', () => '/kindergartens/requests'],
      ['a request for a place', () => `/kindergartens/requests/${ids.request}`],
      ['a new request for a place', () => '/kindergartens/requests/new'],
      ['food periods', () => '/foodcards'],
      ['a food period', () => `/foodcards/periods/${ids.period}`],
      ['a food period\'s entitlements', () => `/foodcards/periods/${ids.period}/entitlements`],
      ['food cards', () => '/foodcards/cards'],
      ['family statuses', () => '/foodcards/statuses'],
      ['imports', () => '/imports'],
      ['an import result', () => `/imports/${ids.importId}`],
      ['a failed import', () => `/imports/${ids.failedImportId}`],
      ['an import waiting in the queue', () => `/imports/${ids.waitingImportId}`],
      ['the message log', () => '/notifications'],
      ['message templates', () => '/notifications/templates'],
      ['notification settings', () => '/notifications/settings'],
      ['a message', () => `/notifications/messages/${ids.message}`],
      ['users', () => '/users'],
      ['the audit log', () => '/audit'],
      ['reports', () => '/reports'],
      ['children found by a search', () => `/pupils?q=${encodeURIComponent(`Zariņš${ids.tag}`)}`],
      ['a child', () => `/pupils/${ids.pupil}`],
    ];
    for (const [name, path] of pages) {
      it(`${name} in Latvian`, async () => {
        await check(await open('coordinator'), path());
      });
    }

    for (const lang of ['ru', 'en'] as const) {
      it(`the overview, device needs, a device need and the message log in ${lang === 'ru' ? 'Russian' : 'English'}`, async () => {
        const page = await open('coordinator');
        await page.goto('/dashboard');
        await useLanguage(page, lang);
        for (const path of ['/dashboard', '/devices', `/devices/needs/${ids.need}`, '/notifications']) await check(page, path);
      });
    }
  });

  describe("a school head's pages", () => {
    for (const [name, path] of [
      ['the overview', () => '/dashboard'],
      ['the own institution', () => `/institutions/${encodeURIComponent(ids.institution)}`],
      ['device needs', () => '/devices'],
      ['food cards', () => '/foodcards/cards'],
    ] as Array<[string, () => string]>) {
      it(`${name} in Latvian`, async () => {
        await check(await open('principal'), path());
      });
    }
  });

  describe('on a phone-sized screen (360×740)', () => {
    const phone = { viewport: { width: 360, height: 740 } };

    const pages: Array<['anonymous' | 'coordinator' | 'principal', string, () => string]> = [
      ['anonymous', 'the start page', () => '/'],
      ['anonymous', 'sign-in', () => '/signin'],
      ['anonymous', "the parents' status page", () => '/status'],
      ['anonymous', 'the opt-out page', () => `/notifications/opt-out/${ids.optOut}`],
      ['coordinator', "the coordinator's overview", () => '/dashboard'],
      ['coordinator', 'device needs', () => '/devices'],
      ['coordinator', 'a device need', () => `/devices/needs/${ids.need}`],
      ['coordinator', 'kindergarten monitoring', () => '/kindergartens'],
      ['coordinator', 'a kindergarten', () => `/kindergartens/${encodeURIComponent(ids.kindergarten)}`],
      ['principal', "the head's overview", () => '/dashboard'],
      ['coordinator', 'the audit log', () => '/audit'],
      ['coordinator', 'the child search', () => '/pupils'],
      ['principal', "the head's food cards", () => '/foodcards/cards'],
    ];
    for (const [who, name, path] of pages) {
      it(name, async () => {
        await check(await open(who, phone), path());
      });
    }
  });

  describe('keyboard', () => {
    it('the first Tab reaches the skip link, and following it puts focus in main', async () => {
      for (const who of ['anonymous', 'coordinator'] as const) {
        const page = await open(who);
        await page.goto(who === 'anonymous' ? '/' : '/devices');
        await page.keyboard.press('Tab');
        const first = await page.evaluate(() => ({ href: document.activeElement?.getAttribute('href'), visible: document.activeElement!.getBoundingClientRect().left >= 0 }));
        expect(first.href, `first Tab (${who})`).to.equal('#main');
        expect(first.visible, `skip link shown when focused (${who})`).to.equal(true);
        await page.keyboard.press('Enter');
        expect(await page.evaluate(() => document.activeElement?.id), `focus after the skip link (${who})`).to.equal('main');
        // The next Tab goes on from main's content, not back to the header.
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => !!document.activeElement?.closest('main')), `Tab after the skip link (${who})`).to.equal(true);
      }
    });

    it('the sign-in form can be filled in and sent with the keyboard alone', async () => {
      const page = await open('anonymous');
      await page.goto('/signin');
      const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
      const email = await page.getByLabel(catalogueText('lv', 'signin.email'), { exact: true }).getAttribute('id');
      const password = await page.getByLabel(catalogueText('lv', 'signin.password'), { exact: true }).getAttribute('id');
      for (let i = 0; i < 20 && (await focusedId()) !== email; i++) await page.keyboard.press('Tab');
      expect(await focusedId(), 'Tab reaches the e-mail field').to.equal(email);
      await page.keyboard.type(suite.principal.email);
      await page.keyboard.press('Tab');
      expect(await focusedId(), 'Tab goes on to the password').to.equal(password);
      await page.keyboard.type(suite.principal.password);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => (document.activeElement as HTMLButtonElement | null)?.type), 'Tab goes on to the button').to.equal('submit');
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname === '/dashboard');
    });
  });
});
