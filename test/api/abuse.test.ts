import { expect } from 'chai';
import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import request from 'supertest';
import { resetData, stack } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser, testPassword } from '../support/factories.ts';
import { importFile, makeWorkbook, upload, waitForImport } from '../support/imports.ts';
import { approveAndAllocate, registerNeedVia, shipVia, validPersonalCode } from '../support/devices.ts';
import { makeZip, unzipEntries, type ZipEntry } from '../support/zip.ts';
import { loadCatalogue } from '../../src/i18n/index.ts';
import { ImportModel } from '../../src/imports/model.ts';
import { DeviceNeedModel } from '../../src/devices/model.ts';
import { PupilModel } from '../../src/pupils/model.ts';
import { UserModel } from '../../src/auth/model.ts';
import { bytes } from '../support/bytes.ts';

/**
 * Abuse through the front door: hostile spreadsheets, wrong content types, file names with paths
 * and markup, formula text in every export, and `$`-operators in bodies and query strings. Each is
 * answered with a clear error (or taken as plain text), and changes nothing it should not.
 */

const api = () => request(stack().app);
const header = ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce'];
const lv = loadCatalogue('lv') as { imports: { failures: Record<string, string> } };

async function principal() {
  const { code } = await makeInstitution();
  const { email } = await makeUser('principal', code);
  return { code, email, token: await makeToken(email) };
}

/** A valid one-row device-needs workbook's parts, the row's name kept in the shared strings. */
async function validParts(): Promise<ZipEntry[]> {
  return unzipEntries(await makeWorkbook(header, [['5.a', 'Anna', 'Bērziņa', validPersonalCode(), 'dators']]));
}

/** The parts with one part's XML rewritten. */
function withPart(entries: ZipEntry[], name: string, change: (xml: string) => string): Buffer {
  return makeZip(entries.map((e) => (e.name === name ? { name, data: Buffer.from(change(e.data.toString('utf8'))) } : e)));
}

// The classic "billion laughs": ten levels of ten, a thousand million "lol"s from a few hundred bytes.
const laughs = ['<!DOCTYPE lolz [<!ENTITY lol "lol">']
  .concat(Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`))
  .concat([']>'])
  .join('');
const withLaughs = (xml: string, textAt: string) => xml.replace(/^(<\?xml[^>]*\?>)/, `$1${laughs}`).replace(textAt, '&lol9;');

/** The import's database traces other than the import itself: pupils and needs. */
const written = async () => (await PupilModel.countDocuments()) + (await DeviceNeedModel.countDocuments());

describe('abuse: hostile spreadsheets fail their import with their own code, the worker stays up', () => {
  beforeEach(resetData);

  it('an XML entity bomb in a worksheet and in the shared strings: xml_declarations, nothing written, the next import works', async () => {
    const { token } = await principal();
    const entries = await validParts();
    const inSheet = withPart(entries, 'xl/worksheets/sheet1.xml', (x) => withLaughs(x, '<v>0</v>'));
    const inStrings = withPart(entries, 'xl/sharedStrings.xml', (x) => withLaughs(x, 'Anna'));
    for (const [name, file] of [['sheet', inSheet], ['sharedStrings', inStrings]] as const) {
      const res = await importFile(token, { kind: 'device-needs' }, file, `${name}.xlsx`);
      expect(res.status, name).to.equal('failed');
      expect(res.failure, name).to.deep.equal({ code: 'xml_declarations', message: lv.imports.failures.xml_declarations });
    }
    expect(await written()).to.equal(0);
    const ok = await importFile(token, { kind: 'device-needs' }, await makeWorkbook(header, [['5.a', 'Anna', 'Bērziņa', validPersonalCode(), 'dators']]));
    expect(ok.summary).to.include({ created: 1 });
  });

  it('a shared-strings table of a million short strings (a 3 MiB upload): too_much_text before it is cached, the next import works', async function () {
    this.timeout(120_000);
    const { token } = await principal();
    const entries = await validParts();
    const many = Array.from({ length: 1_000_001 }, (_, i) => `<si><t>${i.toString(36)}</t></si>`).join('');
    const file = withPart(entries, 'xl/sharedStrings.xml', (x) => x.replace('</sst>', `${many}</sst>`));
    expect(file.length, 'within the upload limit').to.be.lessThan(stack().config.imports.maxBytes);
    const res = await importFile(token, { kind: 'device-needs' }, file, 'strings.xlsx');
    expect(res.failure).to.deep.equal({ code: 'too_much_text', message: lv.imports.failures.too_much_text });
    expect(await written()).to.equal(0);
    const ok = await importFile(token, { kind: 'device-needs' }, await makeWorkbook(header, [['5.a', 'Anna', 'Bērziņa', validPersonalCode(), 'dators']]));
    expect(ok.summary).to.include({ created: 1 });
  });
});

describe('damaged files: refused as damaged, never read as different data', () => {
  beforeEach(resetData);

  it('a changed byte in the stored names fails the import as damaged_file (no retry offered), a cut-off file is refused at upload, nothing written', async () => {
    const { token } = await principal();
    const entries = (await validParts()).map((e) => (e.name === 'xl/sharedStrings.xml' ? { ...e, store: true } : e));
    const file = makeZip(entries);
    const damaged = Buffer.from(file);
    const at = damaged.indexOf(Buffer.from('Bērziņa'));
    damaged[at + 1] = 'a'.charCodeAt(0);
    const res = await importFile(token, { kind: 'device-needs' }, damaged, 'saraksts.xlsx');
    expect(res.status).to.equal('failed');
    expect(res.failure).to.deep.equal({ code: 'damaged_file', message: lv.imports.failures.damaged_file });
    const retry = await api().post(`/api/imports/${res.id}/retry`).set('Authorization', `Bearer ${token}`).expect(409);
    expect(retry.body.error.code).to.equal('import_not_retryable');
    const report = await api().get(`/api/imports/${res.id}/report.xlsx`).set('Authorization', `Bearer ${token}`).expect(409);
    expect(report.body.error.code).to.equal('report_not_available');

    const cut = await upload(token, { kind: 'device-needs' }, file.subarray(0, Math.floor(file.length / 2)), 'saraksts.xlsx').expect(400);
    expect(cut.body.error.code).to.equal('damaged_file');
    expect(await written()).to.equal(0);
    const ok = await importFile(token, { kind: 'device-needs' }, file);
    expect(ok.summary).to.include({ created: 1 });
  });
});

describe('abuse: POST /api/imports without multipart', () => {
  beforeEach(resetData);

  it('a JSON body, text/plain, a raw octet stream, a urlencoded form: 400 with a JSON error, no import made', async () => {
    const { token } = await principal();
    const post = () => api().post('/api/imports').set('Authorization', `Bearer ${token}`);
    const bytes = await makeWorkbook(header, [['5.a', 'Anna', 'Bērziņa', validPersonalCode(), 'dators']]);
    const answers = [
      await post().send({ kind: 'device-needs', file: bytes.toString('base64') }),
      await post().set('Content-Type', 'text/plain').send('kind=device-needs'),
      await post().set('Content-Type', 'application/octet-stream').send(bytes),
      await post().type('form').send({ kind: 'device-needs', file: 'x' }),
      // A multipart content type with no boundary at all, and a form cut off inside its file.
      await post().set('Content-Type', 'multipart/form-data').send('--x\r\n'),
      await post().set('Content-Type', 'multipart/form-data; boundary=x').send('--x\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK'),
    ];
    for (const res of answers) {
      expect(res.status, JSON.stringify(res.body)).to.be.oneOf([400, 415]);
      expect(res.headers['content-type']).to.match(/^application\/json/);
      expect(res.body.error.code).to.be.a('string');
      expect(res.body.error.message).to.be.a('string').and.not.equal('');
    }
    expect(answers.slice(-2).map((r) => r.body.error.code)).to.deep.equal(['bad_upload', 'bad_upload']);
    expect(await ImportModel.countDocuments()).to.equal(0);
  });
});

describe('abuse: file names with paths, control characters and markup', () => {
  beforeEach(resetData);

  it('the stored name has no folder part, the list page escapes it, the report download names it safely', async () => {
    const { token } = await principal();
    const bytes = await makeWorkbook(header, [['5.a', 'Anna', 'Bērziņa', validPersonalCode(), 'dators']]);
    const names = ['../../etc/passwd.xlsx', '..\\..\\evil.xlsx', 'nul\u0000byte.xlsx', `${'a'.repeat(296)}.xlsx`, '<img src=x onerror=alert(1)>".xlsx', 'x\r\nSet-Cookie: a=b.xlsx'];
    const accepted: string[] = [];
    for (const name of names) {
      const res = await upload(token, { kind: 'device-needs', dryRun: true }, bytes, name);
      if (res.status !== 202) {
        // Refusing a name is fine too, as long as it is a clean JSON error.
        expect(res.status, `${JSON.stringify(name)}: ${JSON.stringify(res.body)}`).to.equal(400);
        expect(res.body.error.code).to.equal('bad_upload');
        continue;
      }
      const done = await waitForImport(token, res.body.id);
      expect(done.status).to.equal('succeeded');
      const stored = (await api().get(`/api/imports/${res.body.id}`).set('Authorization', `Bearer ${token}`).expect(200)).body.fileName as string;
      expect(stored, JSON.stringify(name)).to.match(/^[^/\\\u0000-\u001f\u007f]{1,120}$/);
      expect(stored).not.to.match(/^\.\.?$/);
      accepted.push(stored);
      const report = await api().get(`/api/imports/${res.body.id}/report.xlsx`).set('Authorization', `Bearer ${token}`).expect(200);
      const disposition = report.headers['content-disposition'] as string;
      // A token, or a quoted string with quotes and backslashes escaped, and no line breaks.
      expect(disposition, JSON.stringify(name)).to.match(/^attachment; filename=([!#$%&'*+.^_`|~0-9A-Za-z-]+|"(?:[^"\\\r\n/]|\\["\\])*")(; filename\*=UTF-8''[A-Za-z0-9%!#$&+.^_`|~-]+)?$/);
      expect(report.headers['set-cookie'] ?? []).to.deep.equal([]);
    }
    // The folders are dropped, the long name cut, the line break gone; the NUL byte is refused by the form parser.
    expect(accepted).to.deep.equal(['passwd.xlsx', 'evil.xlsx', 'a'.repeat(120), '<img src=x onerror=alert(1)>".xlsx', 'xSet-Cookie: a=b.xlsx']);
    const page = (await api().get('/imports').set('Authorization', `Bearer ${token}`).expect(200)).text;
    expect(page).not.to.include('<img src=x');
    expect(page).to.include('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.to.include('../');
    expect(page).not.to.include('\u0000');
    expect(await written()).to.equal(0);
  });
});

/** Every cell of every sheet of an .xlsx: none may be a formula; returns the text of each. */
async function cellTexts(bytes: Buffer, what: string): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const texts: string[] = [];
  for (const ws of wb.worksheets) {
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        expect(cell.type, `${what} ${ws.name}!${cell.address}`).not.to.equal(ExcelJS.ValueType.Formula);
        expect(cell.formula, `${what} ${ws.name}!${cell.address}`).to.equal(undefined);
        if (typeof cell.value === 'string') texts.push(cell.value);
      }),
    );
  }
  return texts;
}

const binary = (r: request.Test) =>
  r.buffer(true).parse(bytes);

describe('abuse: formula text in every field of every export stays text', () => {
  // What a spreadsheet would run if it took the text for a formula or a DDE call.
  // At most 20 characters, what a class may hold.
  const hostile = ['=HYPERLINK("x","y")', "+cmd|'/C calc'!A0", "-2+3+cmd|'/C x'!A0", "@SUM(1+1)*cmd|'x'!A", '\t=1+1', '\r=1+1'];
  const coordFor = async () => makeToken((await makeUser('coordinator')).email);

  it('the import report keeps every uploaded text verbatim as a string cell', async () => {
    await resetData();
    const { token } = await principal();
    const wide = [...header, 'Aizbildnis', 'Iemesls', 'Adrese'];
    // Each hostile text in each column, on rows that are rejected (bad codes) and accepted alike.
    const rows = hostile.map((h, i) => [h, h, h, i % 2 ? validPersonalCode() : h, 'dators', h, h, h]);
    const res = await importFile(token, { kind: 'device-needs', dryRun: true }, await makeWorkbook(wide, rows));
    expect(res.status).to.equal('succeeded');
    const report = await binary(api().get(`/api/imports/${res.id}/report.xlsx`).set('Authorization', `Bearer ${token}`)).expect(200);
    const texts = await cellTexts(report.body as Buffer, 'import report');
    // XML turns a bare CR into a line feed when the file is read (Excel does the same): still text.
    for (const h of hostile) expect(texts.filter((t) => t === h.replace('\r', '\n')).length, JSON.stringify(h)).to.be.at.least(6);
  });

  it('the needs, stock and due-back lists, the ministry report and the supplier order hold no formula', async function () {
    this.timeout(120_000);
    await resetData();
    const coord = await coordFor();
    const insts = [];
    for (const h of hostile) insts.push((await makeInstitution({ name: h })).code);
    const principals = await Promise.all(insts.map(async (code) => makeToken((await makeUser('principal', code)).email)));
    const needs: string[] = [];
    for (const [i, h] of hostile.entries()) {
      const need = await registerNeedVia(principals[i]!, { firstName: h, lastName: h, class: h, guardianName: h, reason: h, ...(i ? { deliveryMethod: 'home', address: h } : {}) });
      needs.push(need.id);
    }
    const serials = hostile.map((_, i) => `ABU-${i}`);
    await shipVia(coord, serials.map((serial) => ({ serial, type: 'laptop' as const })));
    await approveAndAllocate(coord, [
      { need: needs[0]!, serial: serials[0]! },
      { need: needs[1]!, serial: serials[1]! },
    ]);
    // The first need (a pickup) handed over, collected by a hostile name; the second on a delivery run.
    await api().post(`/api/device-needs/${needs[0]}/handover`).set('Authorization', `Bearer ${principals[0]}`).send({ serial: serials[0], collectedBy: hostile[2], relation: 'mother' }).expect(200);
    await api().post('/api/delivery-runs').set('Authorization', `Bearer ${coord}`).send({ day: '2099-01-01', courier: hostile[3], needs: [needs[1]] }).expect(201);
    const stored = (await api().get(`/api/device-needs/${needs[0]}`).set('Authorization', `Bearer ${coord}`).expect(200)).body;
    expect(stored.firstName).to.equal(hostile[0]);

    // Food: hostile names on an entitlement per school, a period, its amounts and a batch.
    const food = ['Personas kods', 'Vārds', 'Uzvārds', 'Klase', 'Statuss', 'Derīgs no', 'Derīgs līdz'];
    for (const [i, h] of hostile.entries()) {
      const done = await importFile(principals[i]!, { kind: 'food-entitlements' }, await makeWorkbook(food, [[validPersonalCode(), h, h, '3.a', 'trūcīga', '01.01.2020', '31.12.2020']]));
      expect(done.summary, JSON.stringify(h)).to.include({ created: 1 });
    }
    const period = (await api().post('/api/food-periods').set('Authorization', `Bearer ${coord}`).send({ name: hostile[0], from: '2020-03-16', to: '2020-05-29', rate: '1.42' }).expect(201)).body.id;
    await api().put(`/api/food-periods/${period}/calendar`).set('Authorization', `Bearer ${coord}`).send({}).expect(200);
    await api().post(`/api/food-periods/${period}/compute`).set('Authorization', `Bearer ${coord}`).expect(200);
    await api().post(`/api/food-periods/${period}/batches`).set('Authorization', `Bearer ${coord}`).send({}).expect(201);

    const get = (url: string) => binary(api().get(url).set('Authorization', `Bearer ${coord}`)).expect(200);
    const page = await api().get('/reports').set('Authorization', `Bearer ${coord}`).expect(200);
    const batch = /id="supplier-batch"[^>]*>(?:<option[^>]*>[^<]*<\/option>)*?<option value="([0-9a-f]{24})"/.exec(page.text)?.[1];
    expect(batch, 'a confirmed batch offered').to.be.a('string');
    const exports = ['/devices.xlsx', '/devices/stock.xlsx', '/devices/due-back.xlsx', '/devices/deliveries.xlsx', '/devices/report.xlsx', '/institutions.xlsx', `/foodcards/cards.xlsx?period=${period}`, `/foodcards/periods/${period}/entitlements.xlsx`, '/foodcards/statuses.xlsx?days=3650', `/reports/supplier-order.xlsx?batch=${batch}`];
    const seen = new Set<string>();
    for (const url of exports) for (const t of await cellTexts((await get(url)).body as Buffer, url)) seen.add(t);
    // What the API keeps of each (trimmed, so tab and CR go) is in the exports verbatim.
    for (const h of hostile) expect(seen.has(h.trim()), JSON.stringify(h.trim())).to.equal(true);
    // The collector and the courier came out of their own lists.
    const dueBack = await cellTexts((await get('/devices/due-back.xlsx')).body as Buffer, 'due back');
    expect(dueBack).to.include(hostile[2]);
    expect(await cellTexts((await get('/devices/deliveries.xlsx')).body as Buffer, 'deliveries')).to.include(hostile[3]);
  });
});

describe('abuse: $-operators in bodies and query strings', () => {
  beforeEach(resetData);

  it('sign-in with operator objects: 400, nobody signed in', async () => {
    const { email } = await makeUser('coordinator');
    for (const body of [
      { email: { $ne: null }, password: { $ne: null } },
      { email: { $gt: '' }, password: testPassword },
      { email, password: { $ne: 'x' } },
      { email: { $regex: '.*' }, password: testPassword },
    ]) {
      const res = await api().post('/api/session').send(body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body.error.code).to.be.a('string');
      expect(res.body).not.to.have.property('user');
    }
    // Operators as literal text are just a wrong e-mail.
    expect((await api().post('/api/session').send({ email: '{"$ne":null}', password: testPassword })).status).to.be.oneOf([400, 401]);
  });

  it('the status lookup with operator objects: 400, never an answer', async () => {
    const { token } = await principal();
    await registerNeedVia(token);
    for (const body of [{ referenceCode: { $gt: '' } }, { referenceCode: { $regex: '.' } }, { code: { $gt: '' } }]) {
      const res = await api().post('/api/status').send(body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body).not.to.have.property('items');
    }
  });

  it('list filters with operator keys and values match nothing more than the caller may see, and change nothing', async () => {
    const a = await principal();
    const b = await principal();
    const coord = await makeToken((await makeUser('coordinator')).email);
    await registerNeedVia(a.token, { firstName: 'Alfa' });
    await registerNeedVia(b.token, { firstName: 'Beta' });
    const names = async (token: string, query: string) => {
      const res = await api().get(`/api/device-needs?${query}`).set('Authorization', `Bearer ${token}`);
      if (res.status === 400 || res.status === 404) return 'refused';
      expect(res.status, query).to.equal(200);
      return (res.body.items as Array<{ firstName: string }>).map((n) => n.firstName).sort();
    };
    for (const query of ['status[$ne]=x', `institution[$regex]=.`, 'institution[$ne]=x', 'q[$where]=1', 'q[$regex]=.', 'status=$ne', 'q=$where', 'q=.*', 'q[]=a&q[]=b', 'status=registered&status=approved']) {
      // A principal never sees B's need, whatever the filter says.
      const seen = await names(a.token, query);
      expect(seen, query).to.satisfy((s: string | string[]) => s === 'refused' || !s.includes('Beta'));
      // Operator text in a value is a literal: it matches nothing.
      if (/=\$|q=\.\*/.test(query)) expect(seen, query).to.satisfy((s: string | string[]) => s === 'refused' || s.length === 0);
    }
    for (const query of [`institution[$ne]=${a.code}`, `institution[$regex]=${a.code}`]) {
      // A coordinator's operator key is no filter at all (both), never the negation (B only).
      expect(await names(coord, query), query).to.satisfy((s: string | string[]) => s === 'refused' || s.length === 2);
    }
    expect(await names(coord, 'institution=' + encodeURIComponent(JSON.stringify({ $ne: a.code })))).to.satisfy((s: string | string[]) => s === 'refused' || s.length === 0);
  });

  it('bodies with nested $set and operator values: 400 or ignored, the record unchanged', async () => {
    const { token } = await principal();
    const coord = await makeToken((await makeUser('coordinator')).email);
    const need = await registerNeedVia(token, { reason: 'Nav datora' });
    const before = await DeviceNeedModel.findById(need.id).lean();
    const patch = (body: object | undefined) => {
      const req = api().patch(`/api/device-needs/${need.id}`).set('Authorization', `Bearer ${token}`);
      return body ? req.send(body) : req;
    };
    for (const body of [
      { reason: { $set: { status: 'handedOver' } } },
      { $set: { status: 'handedOver', institution: 'ELSEWHERE' } },
      { priority: { $gt: 0 } },
      { deviceType: { $ne: 'laptop' } },
      { 'history.0.status': 'handedOver' },
      // Sent as raw JSON text, since an object literal's __proto__ would never reach the wire.
      '{"__proto__":{"status":"handedOver"},"constructor":{"prototype":{"status":"handedOver"}}}',
    ]) {
      const res = typeof body === 'string' ? await patch(undefined).set('Content-Type', 'application/json').send(body) : await patch(body);
      expect(res.status, JSON.stringify(body)).to.be.oneOf([200, 400]);
    }
    const after = await DeviceNeedModel.findById(need.id).lean();
    expect(after!.status).to.equal(before!.status);
    expect(String(after!.institution)).to.equal(String(before!.institution));
    expect(after!.reason).to.equal('Nav datora');
    expect(after!.deviceType).to.equal(before!.deviceType);
    // Creating with operators: refused, nothing made.
    const made = await DeviceNeedModel.countDocuments();
    for (const body of [
      { firstName: { $ne: null }, lastName: 'X', class: '1.a', personalCode: validPersonalCode(), deviceType: 'laptop' },
      { firstName: 'X', lastName: 'Y', class: '1.a', personalCode: { $gt: '' }, deviceType: 'laptop' },
    ]) {
      expect((await api().post('/api/device-needs').set('Authorization', `Bearer ${token}`).send(body)).status, JSON.stringify(body)).to.equal(400);
    }
    expect(await DeviceNeedModel.countDocuments()).to.equal(made);
    // A coordinator's user update with operators changes no one.
    const users = await UserModel.find({}).lean();
    const target = users.find((u) => u.role === 'principal')!;
    for (const body of [{ active: { $ne: true } }, { $set: { role: 'coordinator' } }, { role: 'coordinator', email: { $ne: null } }]) {
      expect((await api().patch(`/api/users/${target._id}`).set('Authorization', `Bearer ${coord}`).send(body)).status, JSON.stringify(body)).to.be.oneOf([200, 400]);
    }
    const again = await UserModel.findById(target._id).lean();
    expect(again!.role).to.equal('principal');
    expect(await mongoose.connection.db!.collection('users').countDocuments({ role: 'coordinator' })).to.equal(1);
  });
});
