import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import request from 'supertest';
import { catalogueText, horizontalOverflow, signIn, trimmed, useBrowserSuite } from '../support/browser.ts';
import { approveAndAllocate, registerNeedVia, shipVia } from '../support/devices.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { resetData, stack } from '../support/stack.ts';

/** Staff sign in in Latvian; the loan agreement is in the guardian's language. */
const text = (key: string, vars: Record<string, string> = {}) => catalogueText('lv', key, vars);

/** A personal code in either form (old with a birth date, new starting with 32). */
const PERSONAL_CODE = /\d{6}-\d/;

const api = (token: string) => ({
  get: (url: string) => request(stack().app).get(url).set('Authorization', `Bearer ${token}`),
  post: (url: string, body: object = {}) => request(stack().app).post(url).set('Authorization', `Bearer ${token}`).send(body),
});

/** Serials and references of their own per test, so no two tests (or runs) share a device. */
const tag = () => randomBytes(3).toString('hex').toUpperCase();

/** The value next to a term in the need page's facts (`<dt>label</dt><dd>value</dd>`). */
function fact(page: Page, labelKey: string): Locator {
  return page.locator(`dl.facts > dt:text-is(${JSON.stringify(text(labelKey))}) + dd`);
}

/** Cell texts of a table's body rows. */
async function bodyRows(table: Locator): Promise<string[][]> {
  return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim())));
}

describe('device pages in a browser', function () {
  this.timeout(90_000);
  const suite = useBrowserSuite();
  // The browser suites share one database, and the imports suite counts pupils from an empty one:
  // leave it as empty as it was.
  after(resetData);

  describe('a principal records a hand-over at school', () => {
    let principalToken: string;
    let coordToken: string;

    before(async () => {
      principalToken = await makeToken(suite.principal.email);
      coordToken = await makeToken((await makeUser('coordinator')).email);
    });

    /**
     * Two pupils of the principal's school, each with an allocated laptop of one shipment. The
     * guardian of the first reads Russian, so the agreement is in Russian.
     */
    async function twoAllocatedNeeds() {
      const t = tag();
      const pupil = { firstName: 'Jeļena', lastName: `Petrova${t}` };
      const need = await registerNeedVia(principalToken, { ...pupil, guardianName: 'Olga Petrova', language: 'ru' });
      const other = await registerNeedVia(principalToken, { firstName: 'Roberts', lastName: `Kalniņš${t}`, language: 'lv' });
      // Letters after the dashes, so no serial looks like a personal code.
      const serial = `HO-${t}-A`;
      const otherSerial = `HO-${t}-B`;
      await shipVia(coordToken, [{ serial, type: 'laptop' }, { serial: otherSerial, type: 'laptop' }], `VM-HO-${t}`);
      await approveAndAllocate(coordToken, [
        { need: need.id, serial },
        { need: other.id, serial: otherSerial },
      ]);
      return { need, pupil, fullName: `${pupil.firstName} ${pupil.lastName}`, serial, otherSerial };
    }

    const screens: Array<{ name: string; options: BrowserContextOptions; phone: boolean }> = [
      { name: 'on a desktop screen', options: {}, phone: false },
      // A plain small viewport, not mobile emulation: with `isMobile` the browser zooms out to fit
      // wide content and an overflow would go unnoticed.
      { name: 'on a phone-sized screen', options: { viewport: { width: 375, height: 740 } }, phone: true },
    ];

    for (const screen of screens) {
      it(`refuses another pupil's device, then records the hand-over and prints the agreement in the guardian's language (${screen.name})`, async () => {
        const { need, pupil, fullName, serial, otherSerial } = await twoAllocatedNeeds();
        const page = await suite.open(screen.options);
        await signIn(page, suite.principal);

        // The needs list from the header navigation; the pupil found by name.
        await page.getByRole('banner').getByRole('link', { name: text('nav.devices'), exact: true }).click();
        await page.waitForURL((url) => url.pathname === '/devices');
        await page.getByRole('search').getByLabel(text('devices.page.needs.search'), { exact: true }).fill(pupil.lastName);
        await page.getByRole('search').getByRole('button', { name: text('devices.page.filter'), exact: true }).click();
        await page.waitForURL((url) => url.pathname === '/devices' && url.searchParams.get('q') === pupil.lastName);
        await page.getByRole('link', { name: fullName, exact: true }).click();
        await page.waitForURL((url) => url.pathname === `/devices/needs/${need.id}`);

        // The need page: the pupil, the reference code to give the parent, the allocated device.
        expect(await trimmed(page.getByRole('heading', { level: 1 }))).to.equal(fullName);
        const reference = page.getByRole('region', { name: text('devices.page.referenceCode'), exact: true });
        expect(await trimmed(reference)).to.include(need.referenceCode);
        expect(await trimmed(fact(page, 'devices.page.status'))).to.equal(text('status.steps.device.allocated'));
        expect(await trimmed(fact(page, 'devices.page.serial'))).to.equal(serial);
        if (screen.phone) expect(await horizontalOverflow(page), 'need page wider than the phone').to.be.at.most(0);

        // The other pupil's laptop is refused with the reason, and nothing changes.
        const handoverForm = () => page.getByRole('form', { name: text('devices.page.need.handoverTitle'), exact: true });
        await handoverForm().getByLabel(text('devices.page.serial'), { exact: true }).fill(otherSerial.toLowerCase());
        await handoverForm().getByLabel(text('devices.page.need.collectedBy'), { exact: true }).fill('Olga Petrova');
        await handoverForm().getByLabel(text('devices.page.need.relation'), { exact: true }).selectOption({ label: text('devices.page.relations.mother') });
        await handoverForm().getByRole('button', { name: text('devices.page.need.handover'), exact: true }).click();
        const alert = page.getByRole('alert');
        await alert.waitFor();
        expect(await trimmed(alert)).to.equal(text('errors.device_allocated_to_other_pupil'));
        expect(await trimmed(fact(page, 'devices.page.status'))).to.equal(text('status.steps.device.allocated'));
        expect(await trimmed(fact(page, 'devices.page.serial'))).to.equal(serial);
        expect(await page.locator(`dl.facts > dt:text-is(${JSON.stringify(text('devices.page.need.handedOver'))})`).count(), 'a hand-over shown').to.equal(0);
        expect(await page.getByRole('link', { name: text('devices.page.need.agreement'), exact: true }).count(), 'an agreement link').to.equal(1);
        // The refused form keeps what was typed and marks the serial field.
        const serialField = handoverForm().getByLabel(text('devices.page.serial'), { exact: true });
        expect(await serialField.inputValue()).to.equal(otherSerial.toLowerCase());
        expect(await serialField.getAttribute('aria-invalid')).to.equal('true');
        expect(await handoverForm().getByLabel(text('devices.page.need.collectedBy'), { exact: true }).inputValue()).to.equal('Olga Petrova');
        if (screen.phone) expect(await horizontalOverflow(page), 'refused need page wider than the phone').to.be.at.most(0);
        const untouched = (await api(principalToken).get(`/api/device-needs/${need.id}`).expect(200)).body;
        expect(untouched.status).to.equal('allocated');
        expect(untouched.handover).to.equal(null);
        const otherDevice = (await api(principalToken).get(`/api/devices?q=${otherSerial}`).expect(200)).body.items;
        expect(otherDevice.map((d: { serial: string; status: string }) => [d.serial, d.status])).to.deep.equal([[otherSerial, 'allocated']]);

        // The right laptop, collected by the guardian.
        await serialField.fill(serial);
        await handoverForm().getByLabel(text('devices.page.need.collectedBy'), { exact: true }).fill('Olga Petrova');
        await handoverForm().getByLabel(text('devices.page.need.relation'), { exact: true }).selectOption({ label: text('devices.page.relations.mother') });
        await handoverForm().getByRole('button', { name: text('devices.page.need.handover'), exact: true }).click();
        await page.waitForURL((url) => url.pathname === `/devices/needs/${need.id}` && url.searchParams.get('done') === 'handover');
        expect(await trimmed(page.getByRole('status'))).to.equal(text('devices.page.done.handover'));
        expect(await page.getByRole('alert').count()).to.equal(0);
        expect(await trimmed(fact(page, 'devices.page.status'))).to.equal(text('status.steps.device.delivered'));
        expect(await trimmed(fact(page, 'devices.page.need.handedOver'))).to.include(`Olga Petrova (${text('devices.page.relations.mother')})`);
        // No hand-over form any more: the device has been given.
        expect(await handoverForm().count()).to.equal(0);
        const history = await bodyRows(page.getByRole('table'));
        expect(history.map((row) => row[0])).to.deep.equal(['registered', 'approved', 'allocated', 'delivered'].map((s) => text(`status.steps.device.${s}`)));
        if (screen.phone) expect(await horizontalOverflow(page), 'delivered need page wider than the phone').to.be.at.most(0);

        // The API tells the same.
        const delivered = (await api(principalToken).get(`/api/device-needs/${need.id}`).expect(200)).body;
        expect(delivered.status).to.equal('delivered');
        expect(delivered.device).to.equal(serial);
        expect(delivered.handover).to.include({ collectedBy: 'Olga Petrova', relation: 'mother' });
        expect(delivered.history.map((h: { status: string }) => h.status)).to.deep.equal(['registered', 'approved', 'allocated', 'delivered']);

        // The loan agreement: in Russian, the guardian's language, with the serial and the pupil but no personal code.
        await page.getByRole('link', { name: text('devices.page.need.agreement'), exact: true }).click();
        await page.waitForURL((url) => url.pathname === `/devices/needs/${need.id}/agreement`);
        await page.locator('html[lang="ru"]').waitFor({ state: 'attached' });
        expect(await trimmed(page.getByRole('heading', { level: 1 }))).to.equal(catalogueText('ru', 'devices.page.agreement.title'));
        const agreement = page.getByRole('article');
        const agreementText = await trimmed(agreement);
        expect(agreementText).to.include(serial);
        expect(agreementText).to.include(fullName);
        expect(agreementText).to.include('Olga Petrova');
        expect(agreementText).to.include(catalogueText('ru', 'devices.page.agreement.obligations'));
        const wholePage = await page.evaluate(() => document.body.innerText);
        expect(wholePage).not.to.match(PERSONAL_CODE);
        if (screen.phone) expect(await horizontalOverflow(page), 'agreement wider than the phone').to.be.at.most(0);
      });
    }
  });

  describe('a coordinator allocates devices from the allocation page', () => {
    let coordinator: Awaited<ReturnType<typeof makeUser>>;
    let coord: ReturnType<typeof api>;
    const names = new Map<string, string>(); // need id → pupil's full name
    const ours = new Set<string>(); // our serials

    before(async () => {
      coordinator = await makeUser('coordinator');
      const coordToken = await makeToken(coordinator.email);
      coord = api(coordToken);
      const t = tag();
      const schools = [await makeInstitution({ name: `Alfa skola ${t}` }), await makeInstitution({ name: `Beta skola ${t}` })];
      // Two approved needs at each school, three laptops for the four.
      const pupils = [
        { school: schools[0]!, firstName: 'Alise', lastName: `Ābele${t}` },
        { school: schools[0]!, firstName: 'Bruno', lastName: `Bērziņš${t}` },
        { school: schools[1]!, firstName: 'Cilda', lastName: `Celma${t}` },
        { school: schools[1]!, firstName: 'Dāvis', lastName: `Dūmiņš${t}` },
      ];
      const ids: string[] = [];
      for (const p of pupils) {
        const need = await registerNeedVia(coordToken, { institution: p.school.code, firstName: p.firstName, lastName: p.lastName });
        ids.push(need.id);
        names.set(need.id, `${p.firstName} ${p.lastName}`);
      }
      const approved = await coord.post('/api/device-needs/approve', { ids }).expect(200);
      expect(approved.body.results.every((r: { ok: boolean }) => r.ok), JSON.stringify(approved.body)).to.equal(true);
      const serials = ['A', 'B', 'C'].map((i) => `AL-${t}-${i}`);
      serials.forEach((s) => ours.add(s));
      await shipVia(coordToken, serials.map((serial) => ({ serial, type: 'laptop' as const })), `VM-AL-${t}`);
    });

    async function allocatedSerials(): Promise<Set<string>> {
      const res = await coord.get('/api/devices?status=allocated&limit=1000').expect(200);
      return new Set((res.body.items as Array<{ serial: string }>).map((d) => d.serial));
    }

    it('builds the proposal, confirms it with one row unticked, and allocates exactly the ticked rows', async () => {
      const allocatedBefore = await allocatedSerials();
      const page = await suite.open();
      await signIn(page, coordinator);

      // Devices in the header, then Allocation in the devices navigation.
      await page.getByRole('banner').getByRole('link', { name: text('nav.devices'), exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/devices');
      await page.getByRole('navigation', { name: text('devices.page.nav.label'), exact: true }).getByRole('link', { name: text('devices.page.nav.allocation'), exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/devices/allocation');
      expect(await trimmed(page.getByRole('heading', { level: 1 }))).to.equal(text('devices.page.allocation.title'));

      await page.getByRole('button', { name: text('devices.page.allocation.propose'), exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/devices/allocation/proposal');
      expect(await trimmed(page.getByRole('heading', { level: 1 }))).to.equal(text('devices.page.allocation.proposalTitle'));

      // Every proposed row: whose need (the link to it), which serial; ticked to begin with.
      const rows = page.getByRole('row').filter({ has: page.getByRole('checkbox') });
      const proposed: Array<{ need: string; name: string; serial: string }> = [];
      for (const row of await rows.all()) {
        const href = (await row.getByRole('link').getAttribute('href')) ?? '';
        const name = await trimmed(row.getByRole('link'));
        expect(await row.getByRole('checkbox', { name: text('devices.page.allocation.includeOne', { name }), exact: true }).isChecked()).to.equal(true);
        const serial = await row.getByRole('textbox', { name: text('devices.page.allocation.serialFor', { name }), exact: true }).inputValue();
        proposed.push({ need: decodeURIComponent(href.replace('/devices/needs/', '')), name, serial });
      }
      // Fewer laptops than needs: our three laptops go to three of our four pupils, one at least at each school.
      const ourRows = proposed.filter((p) => names.has(p.need));
      expect(ourRows.map((p) => p.serial).filter((s) => ours.has(s)).sort(), 'our laptops proposed').to.deep.equal([...ours].sort());
      expect(ourRows, 'rows for our needs').to.have.length(3);
      expect(new Set(ourRows.map((p) => p.need)).size).to.equal(3);
      const schoolOf = (name: string) => (/^(Alise|Bruno) /.test(name) ? 'alfa' : 'beta');
      expect(new Set(ourRows.map((p) => schoolOf(p.name))), 'both schools get a share').to.have.property('size', 2);

      // Untick one row and change nothing else.
      const dropped = ourRows[ourRows.length - 1]!;
      await page.getByRole('checkbox', { name: text('devices.page.allocation.includeOne', { name: dropped.name }), exact: true }).uncheck();
      const ticked = proposed.filter((p) => p !== dropped);
      await page.getByRole('button', { name: text('devices.page.allocation.confirm'), exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/devices/allocation/confirm');

      // The results page: one line per ticked row, each allocated.
      expect(await trimmed(page.getByRole('heading', { level: 1 }))).to.equal(text('devices.page.allocation.resultsTitle'));
      expect(await trimmed(page.getByRole('status'))).to.equal(text('devices.page.allocation.resultSummary', { allocated: String(ticked.length), refused: '0' }));
      const results = await bodyRows(page.getByRole('table', { name: text('devices.page.allocation.results'), exact: true }));
      expect(results.map(([, serial, result]) => [serial, result])).to.have.deep.members(ticked.map((p) => [p.serial, text('devices.page.allocation.allocated')]));
      for (const p of ticked) expect(results.find(([, serial]) => serial === p.serial)?.[0], p.serial).to.include(p.name);
      expect(results.some(([, serial]) => serial === dropped.serial), 'the unticked row in the results').to.equal(false);

      // The API: exactly the ticked rows were allocated, each to its own need; the unticked laptop is still in stock.
      const allocatedAfter = await allocatedSerials();
      const newlyAllocated = [...allocatedAfter].filter((s) => !allocatedBefore.has(s)).sort();
      expect(newlyAllocated).to.deep.equal(ticked.map((p) => p.serial).sort());
      for (const p of ticked.filter((r) => names.has(r.need))) {
        const need = (await coord.get(`/api/device-needs/${p.need}`).expect(200)).body;
        expect([need.status, need.device], p.name).to.deep.equal(['allocated', p.serial]);
      }
      const left = (await coord.get(`/api/devices?q=${dropped.serial}`).expect(200)).body.items as Array<{ serial: string; status: string }>;
      expect(left.map((d) => [d.serial, d.status])).to.deep.equal([[dropped.serial, 'in_stock']]);
      const waiting = (await coord.get(`/api/device-needs/${dropped.need}`).expect(200)).body;
      expect([waiting.status, waiting.device]).to.deep.equal(['approved', null]);
    });
  });
});
