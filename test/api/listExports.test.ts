import { expect } from 'chai';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { resetData, stack } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { approveAndAllocate, registerNeedVia, shipVia, validPersonalCode } from '../support/devices.ts';
import { requestVia } from '../support/kindergartens.ts';
import { importFile, makeWorkbook } from '../support/imports.ts';
import { testPersonalCodeKey } from '../support/jobs.ts';
import { loadCatalogue } from '../../src/i18n/index.ts';
import { createMessages } from '../../src/notifications/messageService.ts';
import { addDays, rigaToday } from '../../src/shared/dates.ts';
import { bytes } from '../support/bytes.ts';

/**
 * Every list page's `.xlsx`: the page's filters applied, a principal's rows only their own
 * institution's, headers in the reader's language, and names typed as formulas kept as text.
 */

const hyperlink = '=HYPERLINK("http://x","y")';
const dde = "+cmd|' /C calc'!A0";
const today = rigaToday();

type Catalogue = Record<string, unknown>;
const lv = loadCatalogue('lv') as Catalogue;
const en = loadCatalogue('en') as Catalogue;
const say = (c: Catalogue, key: string) => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], c) as string;

const get = (token: string, url: string) => request(stack().app).get(url).set('Authorization', `Bearer ${token}`);

type Sheet = { ws: ExcelJS.Worksheet; header: string[]; rows: string[][]; res: request.Response };

/** Downloads a workbook and reads its one sheet (header row and the others as text). */
async function download(token: string, url: string, lang = 'lv', dated = true): Promise<Sheet> {
  const res = await get(token, url)
    .set('Cookie', `lang=${lang}`)
    .buffer(true)
    .parse(bytes);
  expect(res.status, `${url}: ${String(res.body)}`).to.equal(200);
  expect(res.headers['content-type']).to.include('spreadsheetml');
  expect(res.headers['content-disposition']).to.include('attachment').and.include(dated ? `${today}.xlsx` : '.xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as unknown as ArrayBuffer);
  expect(wb.worksheets).to.have.length(1);
  const ws = wb.worksheets[0]!;
  const text = (row: ExcelJS.Row) => Array.from({ length: ws.columnCount }, (_, i) => row.getCell(i + 1).text);
  const rows: string[][] = [];
  ws.eachRow((row, n) => {
    row.eachCell((cell) => expect(cell.type, `${url} ${cell.address}`).not.to.equal(ExcelJS.ValueType.Formula));
    if (n > 1) rows.push(text(row));
  });
  return { ws, header: text(ws.getRow(1)), rows, res };
}

/** The column of a header (from the catalogue) in a sheet. */
function col(sheet: Sheet, header: string): string[] {
  const i = sheet.header.indexOf(header);
  expect(i, `column ${header} in ${sheet.header.join(' | ')}`).to.be.at.least(0);
  return sheet.rows.map((r) => r[i]!);
}

/** The cell holding exactly `value`: there must be one, and it is a plain string cell. */
function expectStringCell(sheet: Sheet, value: string): void {
  let found = 0;
  sheet.ws.eachRow((row) =>
    row.eachCell((cell) => {
      if (cell.text !== value) return;
      found += 1;
      expect(cell.type, cell.address).to.equal(ExcelJS.ValueType.String);
      expect(cell.value).to.equal(value);
      expect(cell.formula).to.equal(undefined);
    }),
  );
  expect(found, `a cell holding ${value}`).to.be.greaterThan(0);
}

describe('list exports: every list as .xlsx with its filters, scope and plain cells', () => {
  let coord: string;
  let pa: string;
  let pb: string;
  let a: string;
  let b: string;
  let period: string;

  before(async () => {
    await resetData();
    a = (await makeInstitution({ name: 'Alpha school' })).code;
    b = (await makeInstitution({ name: hyperlink })).code;
    coord = await makeToken((await makeUser('coordinator')).email);
    pa = await makeToken((await makeUser('principal', a)).email);
    pb = await makeToken((await makeUser('principal', b)).email);

    // Devices: A's laptop need handed over (due back), B's tablet need on a delivery run.
    const needA = (await registerNeedVia(pa, { firstName: hyperlink, lastName: 'Ozola', deviceType: 'laptop' })).id;
    const needB = (await registerNeedVia(pb, { firstName: 'Jānis', lastName: dde, deviceType: 'tablet', deliveryMethod: 'home', address: 'Beta iela 1' })).id;
    await shipVia(coord, [
      { serial: 'EXP-L1', type: 'laptop' },
      { serial: 'EXP-T1', type: 'tablet' },
      { serial: 'EXP-T2', type: 'tablet' },
    ]);
    await approveAndAllocate(coord, [
      { need: needA, serial: 'EXP-L1' },
      { need: needB, serial: 'EXP-T1' },
    ]);
    await request(stack().app).post(`/api/device-needs/${needA}/handover`).set('Authorization', `Bearer ${pa}`).send({ serial: 'EXP-L1', collectedBy: dde, relation: 'mother' }).expect(200);
    await request(stack().app).post('/api/delivery-runs').set('Authorization', `Bearer ${coord}`).send({ day: '2099-01-01', courier: hyperlink, needs: [needB] }).expect(201);

    // Requests for a place (the office's).
    await requestVia(coord, { firstName: hyperlink, lastName: 'Kalniņa' });
    await requestVia(coord, { firstName: 'Marta', lastName: 'Liepa' });

    // Food: amounts and cards of a period for both schools, and family statuses ending soon and later.
    const header = ['Personas kods', 'Vārds', 'Uzvārds', 'Klase', 'Statuss', 'Derīgs no', 'Derīgs līdz'];
    await importFile(pa, { kind: 'food-entitlements' }, await makeWorkbook(header, [[validPersonalCode(), hyperlink, 'Ozola', '3.a', 'trūcīga', '01.01.2020', '31.12.2020']]));
    await importFile(pb, { kind: 'food-entitlements' }, await makeWorkbook(header, [[validPersonalCode(), 'Pēteris', dde, '2.a', 'trūcīga', '01.01.2020', '31.12.2020']]));
    period = (await request(stack().app).post('/api/food-periods').set('Authorization', `Bearer ${coord}`).send({ name: 'Pavasaris 2020', from: '2020-03-16', to: '2020-05-29', rate: '1.42' }).expect(201)).body.id;
    await request(stack().app).put(`/api/food-periods/${period}/calendar`).set('Authorization', `Bearer ${coord}`).send({}).expect(200);
    await request(stack().app).post(`/api/food-periods/${period}/compute`).set('Authorization', `Bearer ${coord}`).expect(200);
    await request(stack().app).post(`/api/food-periods/${period}/batches`).set('Authorization', `Bearer ${coord}`).send({}).expect(201);
    const status = (validTo: string, firstName: string) => ({ personalCode: validPersonalCode(), firstName, lastName: 'Statuss', class: '4.a', status: 'poor', validFrom: '2020-01-01', validTo });
    await request(stack().app).post('/api/family-statuses').set('Authorization', `Bearer ${pa}`).send(status(addDays(today, 5), hyperlink)).expect(201);
    await request(stack().app).post('/api/family-statuses').set('Authorization', `Bearer ${pb}`).send(status(addDays(today, 40), 'Vēlais')).expect(201);

    // Two messages to different addresses.
    const notify = { key: testPersonalCodeKey, baseUrl: 'http://x', configured: { email: false, sms: false }, queue: { enqueue: async () => {} }, now: () => new Date() };
    const message = (address: string, name: string) => ({ event: `test.export.${address}`, template: 'need_registered', language: 'lv', recipientRef: `guardian:${address}`, recipient: { kind: 'guardian', address, name }, channel: 'outbox', params: { firstName: 'Anna', code: 'X', statusUrl: 'x', institution: 'Alpha school' } });
    await createMessages([message('+37126000001', hyperlink), message('+37126000002', 'Otrais')] as Parameters<typeof createMessages>[0], notify as Parameters<typeof createMessages>[1]);
  });

  describe('devices', () => {
    it('needs: the filters of the page, headers in the reader language, masked codes, names as text', async () => {
      const all = await download(coord, '/devices.xlsx');
      expect(all.header.slice(0, 3)).to.deep.equal([say(lv, 'exports.columns.firstName'), say(lv, 'exports.columns.lastName'), say(lv, 'devices.page.class')]);
      expect(all.rows).to.have.length(2);
      expectStringCell(all, hyperlink);
      expectStringCell(all, dde);
      for (const code of col(all, say(lv, 'devices.page.personalCode'))) expect(code).to.match(/\*/);
      const laptops = await download(coord, '/devices.xlsx?deviceType=laptop', 'en');
      expect(laptops.header[0]).to.equal(say(en, 'exports.columns.firstName'));
      expect(col(laptops, say(en, 'devices.page.institution'))).to.deep.equal([a]);
      const mine = await download(pb, '/devices.xlsx');
      expect(col(mine, say(lv, 'devices.page.institution'))).to.deep.equal([b]);
      // A principal's institution filter is ignored, as on the page: never another school's rows.
      const other = await download(pb, `/devices.xlsx?institution=${a}`);
      expect(col(other, say(lv, 'devices.page.institution'))).to.deep.equal([b]);
    });

    it('stock: type filter, a principal sees only their own devices, the date a date cell', async () => {
      const tablets = await download(coord, '/devices/stock.xlsx?type=tablet');
      expect(col(tablets, say(lv, 'devices.page.serial')).sort()).to.deep.equal(['EXP-T1', 'EXP-T2']);
      const one = await download(coord, '/devices/stock.xlsx?type=tablet&q=T2');
      expect(col(one, say(lv, 'devices.page.serial'))).to.deep.equal(['EXP-T2']);
      const since = one.header.indexOf(say(lv, 'devices.page.stock.since')) + 1;
      expect(one.ws.getRow(2).getCell(since).type).to.equal(ExcelJS.ValueType.Date);
      expect(col(await download(pa, '/devices/stock.xlsx'), say(lv, 'devices.page.serial'))).to.deep.equal(['EXP-L1']);
      expect(col(await download(pb, '/devices/stock.xlsx'), say(lv, 'devices.page.serial'))).to.deep.equal(['EXP-T1']);
    });

    it('due back: the device out with A, who collected it as text; nothing for B', async () => {
      const due = await download(pa, '/devices/due-back.xlsx');
      expect(col(due, say(lv, 'devices.page.serial'))).to.deep.equal(['EXP-L1']);
      expectStringCell(due, dde);
      expect((await download(pb, '/devices/due-back.xlsx')).rows).to.deep.equal([]);
    });

    it('delivery runs: the coordinator only, the courier as text', async () => {
      const runs = await download(coord, '/devices/deliveries.xlsx');
      expect(runs.rows).to.have.length(1);
      expectStringCell(runs, hyperlink);
      await get(pa, '/devices/deliveries.xlsx').expect(403);
    });

    it('the list pages link to their export with the query string they were shown with', async () => {
      const page = await get(coord, '/devices/stock?type=tablet&q=T2').expect(200);
      expect(page.text).to.include('href="/devices/stock.xlsx?type=tablet&amp;q=T2"').and.include(say(lv, 'exports.download'));
      expect((await get(pa, '/devices?deviceType=laptop').expect(200)).text).to.include('href="/devices.xlsx?deviceType=laptop"');
      expect((await get(pa, '/devices/due-back').expect(200)).text).to.include('href="/devices/due-back.xlsx"');
      expect((await get(coord, '/devices/deliveries').expect(200)).text).to.include('href="/devices/deliveries.xlsx"');
    });
  });

  it('requests for a place: search filter, names as text, the coordinator only', async () => {
    const all = await download(coord, '/kindergartens/requests.xlsx');
    expect(all.rows).to.have.length(2);
    expectStringCell(all, hyperlink);
    const found = await download(coord, '/kindergartens/requests.xlsx?q=Marta');
    expect(col(found, say(lv, 'exports.columns.firstName'))).to.deep.equal(['Marta']);
    await get(pa, '/kindergartens/requests.xlsx').expect(403);
    expect((await get(coord, '/kindergartens/requests?q=Marta').expect(200)).text).to.include('href="/kindergartens/requests.xlsx?q=Marta"');
  });

  describe('food cards', () => {
    it('cards: the period and institution filters, a principal only their own', async () => {
      const all = await download(coord, `/foodcards/cards.xlsx?period=${period}`);
      expect(col(all, say(lv, 'foodcards.page.cards.institution')).sort()).to.deep.equal([a, b].sort());
      expectStringCell(all, hyperlink);
      expectStringCell(all, dde);
      expect(col(await download(coord, `/foodcards/cards.xlsx?period=${period}&institution=${a}`), say(lv, 'foodcards.page.cards.institution'))).to.deep.equal([a]);
      expect(col(await download(pb, `/foodcards/cards.xlsx?period=${period}&institution=${a}`), say(lv, 'foodcards.page.cards.institution'))).to.deep.equal([b]);
      expect((await get(pa, `/foodcards/cards?period=${period}`).expect(200)).text).to.include(`href="/foodcards/cards.xlsx?period=${period}"`);
    });

    it('amounts of a period: institution filter, a principal only their own, euros as numbers', async () => {
      const all = await download(coord, `/foodcards/periods/${period}/entitlements.xlsx`);
      expect(all.rows).to.have.length(2);
      const one = await download(coord, `/foodcards/periods/${period}/entitlements.xlsx?institution=${b}`);
      expect(col(one, say(lv, 'foodcards.page.entitlements.columns.institution'))).to.deep.equal([b]);
      expectStringCell(one, dde);
      const amount = one.header.indexOf(say(lv, 'exports.columns.amount')) + 1;
      expect(one.ws.getRow(2).getCell(amount).type).to.equal(ExcelJS.ValueType.Number);
      expect(col(await download(pa, `/foodcards/periods/${period}/entitlements.xlsx`), say(lv, 'foodcards.page.entitlements.columns.institution'))).to.deep.equal([a]);
      await get(pb, `/foodcards/periods/${period}/entitlements.xlsx?institution=${a}`).expect(404);
      expect((await get(coord, `/foodcards/periods/${period}/entitlements?institution=${b}`).expect(200)).text).to.include(`href="/foodcards/periods/${period}/entitlements.xlsx?institution=${b}"`);
    });

    it('family statuses: the days filter, a principal only their own', async () => {
      const soon = await download(coord, '/foodcards/statuses.xlsx?days=14');
      expect(col(soon, say(lv, 'foodcards.page.statuses.columns.institution'))).to.deep.equal([a]);
      expectStringCell(soon, hyperlink);
      expect(col(await download(coord, '/foodcards/statuses.xlsx?days=60'), say(lv, 'foodcards.page.statuses.columns.institution')).sort()).to.deep.equal([a, b].sort());
      expect(col(await download(pb, '/foodcards/statuses.xlsx?days=60'), say(lv, 'foodcards.page.statuses.columns.institution'))).to.deep.equal([b]);
      expect((await get(pb, '/foodcards/statuses?days=60').expect(200)).text).to.include('href="/foodcards/statuses.xlsx?days=60"');
    });
  });

  it('message log: the recipient filter over every page, the coordinator only', async () => {
    const all = await download(coord, '/notifications.xlsx');
    expect(all.rows).to.have.length(2);
    expectStringCell(all, hyperlink);
    const one = await download(coord, '/notifications.xlsx?q=26000002&page=7');
    expect(col(one, say(lv, 'notifications.page.log.recipient'))).to.deep.equal(['+37126000002']);
    await get(pa, '/notifications.xlsx').expect(403);
    expect((await get(coord, '/notifications?q=26000002').expect(200)).text).to.include('href="/notifications.xlsx?q=26000002"');
  });

  it('institutions and users: the coordinator only, names as text', async () => {
    const insts = await download(coord, '/institutions.xlsx');
    expect(col(insts, say(lv, 'institutions.code')).sort()).to.deep.equal([a, b].sort());
    expectStringCell(insts, hyperlink);
    const users = await download(coord, '/users.xlsx');
    expect(users.header[0]).to.equal(say(lv, 'users.email'));
    expect(users.rows).to.have.length(3);
    await get(pa, '/institutions.xlsx').expect(403);
    await get(pa, '/users.xlsx').expect(403);
    expect((await get(coord, '/institutions').expect(200)).text).to.include('href="/institutions.xlsx"');
    expect((await get(coord, '/users').expect(200)).text).to.include('href="/users.xlsx"');
  });

  it('uploads: a principal only their own institution’s', async () => {
    const all = await download(coord, '/imports.xlsx');
    expect(col(all, say(lv, 'imports.page.institution')).sort()).to.deep.equal([a, b].sort());
    expect(col(await download(pa, '/imports.xlsx'), say(lv, 'imports.page.institution'))).to.deep.equal([a]);
    expect((await get(pa, '/imports').expect(200)).text).to.include('href="/imports.xlsx"');
  });

  it('the reports page: for the coordinator, and each of its downloads works', async () => {
    const page = await get(coord, '/reports').expect(200);
    expect(page.text).to.include(say(lv, 'reports.title')).and.include('href="/reports"');
    const ministry = /id="report-ministry" href="([^"]+)"/.exec(page.text)?.[1];
    expect(ministry).to.equal('/devices/report.xlsx');
    // The ministry report keeps its own name (no date).
    expect((await download(coord, ministry!, 'lv', false)).rows.length).to.be.greaterThan(0);
    const batch = /id="supplier-batch"[^>]*>(?:<option[^>]*>[^<]*<\/option>)*?<option value="([0-9a-f]{24})"/.exec(page.text)?.[1];
    expect(batch, 'a confirmed batch offered').to.be.a('string');
    const order = await get(coord, `/reports/supplier-order.xlsx?batch=${batch}`).expect(200);
    expect(order.headers['content-type']).to.include('spreadsheetml');
    const attendance = /id="report-attendance"/.test(page.text) && /action="(\/api\/kindergartens\/attendance\.xlsx)"/.exec(page.text)?.[1];
    expect(attendance).to.equal('/api/kindergartens/attendance.xlsx');
    const res = await get(coord, `${attendance}?from=${addDays(today, -30)}&to=${today}&institution=`).expect(200);
    expect(res.headers['content-type']).to.include('spreadsheetml');
    await get(pa, '/reports').expect(403);
    await get(pa, `/reports/supplier-order.xlsx?batch=${batch}`).expect(403);
    expect((await get(pa, '/dashboard')).text).not.to.include('href="/reports"');
  });
});
