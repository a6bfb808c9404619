import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { Locator, Page } from 'playwright-core';
import request from 'supertest';
import { catalogueText, horizontalOverflow, signIn, trimmed, useBrowserSuite } from '../support/browser.ts';
import { registerNeedVia, validPersonalCode } from '../support/devices.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { resetData, stack } from '../support/stack.ts';

/** Staff sign in in Latvian. */
const text = (key: string, vars: Record<string, string> = {}) => catalogueText('lv', key, vars);

/** Names of their own per test, so no two tests (or runs) find each other's pupils or schools. */
const tag = () => randomBytes(3).toString('hex').toUpperCase();

/** Cell texts (header cells included) of a table's body rows. */
async function bodyRows(table: Locator): Promise<string[][]> {
  return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('th, td'), (c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())));
}

/** The page's visible text. */
const bodyText = (page: Page) => page.evaluate(() => document.body.innerText);

describe("the coordinator's desk in a browser", function () {
  this.timeout(90_000);
  const suite = useBrowserSuite();
  after(resetData);

  let coordinator: Awaited<ReturnType<typeof makeUser>>;
  let coordToken: string;
  before(async () => {
    coordinator = await makeUser('coordinator');
    coordToken = await makeToken(coordinator.email);
  });

  /** Two schools, each with one pupil needing a device; the first pupil's personal code is known. */
  async function twoSchools() {
    const t = tag();
    const a = await makeInstitution({ name: `${t} Ozolu pamatskola` });
    const b = await makeInstitution({ name: `${t} Liepu vidusskola` });
    const pupil = { firstName: 'Anna', lastName: `Bērziņa${t}`, personalCode: validPersonalCode() };
    const other = { firstName: 'Roberts', lastName: `Kalniņš${t}` };
    const need = await registerNeedVia(coordToken, { institution: a.code, ...pupil });
    await registerNeedVia(coordToken, { institution: b.code, ...other });
    return { t, a, b, pupil, other, need, fullName: `${pupil.firstName} ${pupil.lastName}`, otherName: `${other.firstName} ${other.lastName}` };
  }

  /** The child's id as the coordinator's search finds it. */
  async function pupilId(lastName: string): Promise<string> {
    const res = await request(stack().app).get(`/api/pupils?q=${encodeURIComponent(lastName)}`).set('Authorization', `Bearer ${coordToken}`).expect(200);
    expect(res.body.items, lastName).to.have.length(1);
    return res.body.items[0].id as string;
  }

  it('the morning dashboard: tiles, charts, the table filtered to one school and a figure leading to its needs; no sideways scrolling on a phone', async () => {
    const w = await twoSchools();
    const page = await suite.open();
    await signIn(page, coordinator);
    // The kept figures predate this test's pupils: count again, as a coordinator may.
    await page.getByRole('button', { name: text('dashboard.countNow'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/dashboard');

    for (const id of ['devices-h', 'food-h', 'messages-h']) expect(await page.locator(`section[aria-labelledby="${id}"]`).count(), id).to.equal(1);
    const neededTile = page.locator('section[aria-labelledby="devices-h"] a.tile').filter({ hasText: text('dashboard.devicesNeeded') });
    expect(Number(await trimmed(neededTile.locator('.value')))).to.be.at.least(2);
    expect(await page.locator('section[aria-labelledby="messages-h"] a.tile').count()).to.equal(2);
    expect(await page.locator('figure.chart').count()).to.be.at.least(2);
    expect(await trimmed(page.locator('figure.chart figcaption').first())).to.equal(text('dashboard.chart.handedOver'));

    // The table filtered by part of the first school's name.
    const section = page.locator('section[aria-labelledby="institutions-h"]');
    const filter = section.getByRole('search', { name: text('dashboard.table.filter'), exact: true });
    await filter.getByLabel(text('dashboard.table.search'), { exact: true }).fill(`${w.t} ozolu`);
    await filter.getByRole('button', { name: text('dashboard.table.show'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/dashboard' && url.searchParams.get('q') === `${w.t} ozolu`);
    expect(await bodyText(page)).to.include(text('dashboard.table.matching', { count: '1' }));
    const rows = await bodyRows(section.locator('table.figures'));
    expect(rows.map((r) => r[0])).to.deep.equal([text('dashboard.table.total'), `${w.a.institution.name} ${w.a.code}`]);
    expect(rows[1]!.slice(1, 4), 'needed, handed over, outstanding').to.deep.equal(['1', '0', '1']);
    expect(await section.getByText(w.b.institution.name).count()).to.equal(0);

    // The needed figure of the school's line opens the needs list filtered to that school.
    await section.locator('tbody tr').filter({ hasText: w.a.code }).locator('td').first().getByRole('link').click();
    await page.waitForURL((url) => url.pathname === '/devices' && url.searchParams.get('institution') === w.a.code);
    expect(await page.getByRole('link', { name: w.fullName, exact: true }).count()).to.equal(1);
    expect(await page.getByRole('link', { name: w.otherName, exact: true }).count()).to.equal(0);

    // A phone: the document never scrolls sideways; the wide table scrolls in its own box.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`/dashboard?q=${encodeURIComponent(w.t)}`);
    const wrap = page.locator('section[aria-labelledby="institutions-h"] .table-wrap').filter({ has: page.locator('table.figures') });
    const box = await wrap.evaluate((el) => ({ inner: el.scrollWidth, outer: el.clientWidth }));
    expect(box.inner, 'the table scrolls inside its box').to.be.greaterThan(box.outer);
    expect(await horizontalOverflow(page), 'dashboard wider than the phone').to.be.at.most(1);
  });

  it("the child page: a principal finds the pupil, opens the page and shows the whole code; another school's principal finds nothing", async () => {
    const t = tag();
    const pupil = { firstName: 'Līva', lastName: `Ozoliņa${t}`, personalCode: validPersonalCode() };
    const principalToken = await makeToken(suite.principal.email);
    await registerNeedVia(principalToken, pupil);
    const page = await suite.open();
    await signIn(page, suite.principal);

    await page.getByRole('banner').getByRole('link', { name: text('nav.children'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/pupils');
    await page.getByRole('search').getByLabel(text('children.search.label'), { exact: true }).fill(pupil.lastName);
    await page.getByRole('search').getByRole('button', { name: text('children.search.submit'), exact: true }).click();
    await page.getByRole('link', { name: `${pupil.lastName}, ${pupil.firstName}`, exact: true }).click();
    await page.waitForURL((url) => /^\/pupils\/[0-9a-f]{24}$/.test(url.pathname));
    const childPath = new URL(page.url()).pathname;

    expect(await trimmed(page.getByRole('heading', { level: 1 }))).to.equal(`${pupil.firstName} ${pupil.lastName}`);
    const device = page.getByRole('region', { name: text('children.page.device'), exact: true });
    expect(await trimmed(device)).to.include(text('status.steps.device.registered'));
    expect(await device.getByRole('link', { name: text('children.page.openNeed'), exact: true }).count()).to.equal(1);
    const masked = `${pupil.personalCode.slice(0, 8)}****`;
    expect(await page.locator('code', { hasText: masked }).count()).to.equal(1);
    expect(await bodyText(page)).not.to.include(pupil.personalCode);

    await page.getByRole('button', { name: text('children.page.showCode'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === `${childPath}/personal-code`);
    expect(await trimmed(page.locator('code.full-code'))).to.equal(pupil.personalCode);
    expect(await bodyText(page)).to.include(text('children.page.codeShownAudited'));

    // A principal of another school searches the same surname.
    const other = await makeUser('principal', (await makeInstitution()).code);
    const second = await suite.open();
    await signIn(second, other);
    await second.goto('/pupils');
    await second.getByRole('search').getByLabel(text('children.search.label'), { exact: true }).fill(pupil.lastName);
    await second.getByRole('search').getByRole('button', { name: text('children.search.submit'), exact: true }).click();
    await second.getByText(text('children.search.none'), { exact: true }).waitFor();
    expect(await second.locator(`a[href="${childPath}"]`).count()).to.equal(0);
  });

  it("an export download: the needs list filtered to one school gives a workbook of that school's pupils only", async () => {
    const w = await twoSchools();
    await registerNeedVia(coordToken, { institution: w.a.code, firstName: 'Pēteris', lastName: `Bērziņš${w.t}` });
    const page = await suite.open();
    await signIn(page, coordinator);
    await page.goto(`/devices?institution=${encodeURIComponent(w.a.code)}`);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: text('exports.download'), exact: true }).click()]);
    expect(download.suggestedFilename()).to.match(new RegExp(`^${text('exports.files.needs')}.*\\.xlsx$`));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await download.path());
    const ws = wb.worksheets[0]!;
    const cells = (n: number) => Array.from({ length: ws.columnCount }, (_, i) => ws.getRow(n).getCell(i + 1).text);
    const headerKeys = ['exports.columns.firstName', 'exports.columns.lastName', 'devices.page.class', 'devices.page.personalCode', 'devices.page.institution', 'devices.page.deviceType', 'devices.page.priority', 'devices.page.deliveryMethod', 'devices.page.status', 'devices.page.referenceCode', 'exports.columns.registeredAt'];
    expect(cells(1)).to.deep.equal(headerKeys.map((k) => text(k)));
    const rows = Array.from({ length: ws.rowCount - 1 }, (_, i) => cells(i + 2));
    expect(rows.map((r) => `${r[0]} ${r[1]}`).sort()).to.deep.equal([w.fullName, `Pēteris Bērziņš${w.t}`].sort());
    expect(rows.map((r) => r[4])).to.deep.equal([w.a.code, w.a.code]);
    expect(JSON.stringify(rows)).not.to.include(w.other.lastName);
  });

  it("the audit search: a coordinator finds the principal's view of the whole code by the pupil's name, and from the child page", async () => {
    const t = tag();
    const pupil = { firstName: 'Marta', lastName: `Liepiņa${t}`, personalCode: validPersonalCode() };
    const principalToken = await makeToken(suite.principal.email);
    await registerNeedVia(principalToken, pupil);
    const id = await pupilId(pupil.lastName);
    // The principal views the whole code, as the child page's button does.
    await request(stack().app).post(`/api/pupils/${id}/personal-code`).set('Authorization', `Bearer ${principalToken}`).expect(200);

    const page = await suite.open();
    await signIn(page, coordinator);
    await page.getByRole('banner').getByRole('link', { name: text('nav.audit'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/audit');
    const form = page.locator('form[action="/audit"]');
    await form.getByLabel(text('audit.filterPupil'), { exact: true }).fill(`${pupil.firstName} ${pupil.lastName}`);
    await form.getByLabel(text('audit.filterAction'), { exact: true }).fill('pupil.');
    await form.getByRole('button', { name: text('audit.search'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/audit' && url.searchParams.get('action') === 'pupil.');
    const found = await bodyRows(page.locator('table.audit'));
    expect(found.map((r) => [r[1], r[2]])).to.deep.equal([[suite.principal.email, 'pupil.personal_code_view']]);
    expect(JSON.stringify(found)).not.to.include(pupil.personalCode);

    // The child page's own link to the log: every recorded action about this child.
    await page.goto(`/pupils/${id}`);
    await page.getByRole('link', { name: text('children.page.auditLink'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/audit' && url.searchParams.get('pupil') === id);
    const all = await bodyRows(page.locator('table.audit'));
    expect(all.map((r) => r[2])).to.include('pupil.personal_code_view').and.to.include('device_need.create');
  });
});
