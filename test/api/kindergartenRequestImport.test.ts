import { expect } from 'chai';
import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import request from 'supertest';
import { stack, resetData } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser, signedInAgent } from '../support/factories.ts';
import { importFile, makeWorkbook, upload } from '../support/imports.ts';
import { testPersonalCodeKey } from '../support/jobs.ts';
import { PlacementRequestModel } from '../../src/kindergartens/model.ts';
import { DomainEventModel } from '../../src/events/model.ts';
import { translator } from '../../src/i18n/index.ts';
import { ImportModel } from '../../src/imports/model.ts';
import { runImport } from '../../src/imports/run.ts';
import { openKindergartenRequests } from '../../src/imports/apply/kindergartenRequests.ts';
import { rowParser } from '../../imports/kinds/index.ts';
import { kindergartenRequests } from '../../imports/kinds/kindergartenRequests.ts';
import { loadCatalogue } from '../../src/i18n/index.ts';
import { bytes } from '../support/bytes.ts';

const lv = loadCatalogue('lv') as { imports: { issues: Record<string, string> } };
const kind = 'kindergarten-requests';
const referenceCode = /^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{3}$/;

// As an office writes its list: Latvian headers, a title above the table.
const header = ['Bērna vārds', 'Bērna uzvārds', 'Personas kods', 'Vecāka vārds, uzvārds', 'Tālrunis', 'E-pasts', 'Valoda', 'Darba devējs', 'Nozare', 'Vajadzīgs no', 'Vēlamais rajons', 'Piezīmes'];
const marta = ['Marta', 'Kalniņa', '150316-21232', 'Inese Kalniņa', '26 123 456', 'Inese@Example.LV', 'latviešu', 'Liepājas reģionālā slimnīca', 'veselības aprūpe', '23.03.2020', 'Karosta', 'Maiņu darbs'];
const ivans = ['Ivans', 'Petrovs', '020717-21235', 'Olga Petrova', 29_876_543, '', 'русский', 'Valsts policija', 'полиция', new Date(Date.UTC(2020, 2, 24)), '', ''];
const emils = ['Emīls', 'Ozols', '110815-24563', 'Jānis Ozols', '', 'janis.ozols@example.lv', '', 'Maxima Latvija', 'tirdzniecība', '25.03.2020', 'Centrs', ''];
const list = (rows: unknown[][]) => makeWorkbook(header, rows, { titles: ['Pieteikumi dežūrdārziņiem', ''] });

async function coordinator() {
  return makeToken((await makeUser('coordinator')).email);
}

const byCode = async (code: string) => {
  const { hashPersonalCode } = await import('../../src/pupils/personalCodes.ts');
  return PlacementRequestModel.findOne({ activeKey: hashPersonalCode(testPersonalCodeKey, code) }).lean();
};
const api = (token: string) => ({
  post: (path: string, body: object = {}) => request(stack().app).post(path).set('Authorization', `Bearer ${token}`).send(body),
});

describe('imports: kindergarten-requests', () => {
  beforeEach(resetData);

  it('a list with Latvian headers creates received requests with reference codes, history and events; the same list again changes nothing', async () => {
    const token = await coordinator();
    const file = await list([marta, ivans, emils]);
    const res = await importFile(token, { kind }, file);
    expect(res.status).to.equal('succeeded');
    expect(res.summary).to.include({ rows: 3, created: 3, updated: 0, unchanged: 0, rejected: 0, warnings: 0 });

    const m = await byCode('150316-21232');
    expect(m).to.not.equal(null);
    expect(m!.child).to.include({ firstName: 'Marta', lastName: 'Kalniņa', personalCodeMasked: '150316-2****', birthDate: '2016-03-15' });
    expect(m!.parent).to.include({ name: 'Inese Kalniņa', phone: '+37126123456', email: 'inese@example.lv', language: 'lv' });
    expect(m).to.include({ employer: 'Liepājas reģionālā slimnīca', sector: 'health', neededFrom: '2020-03-23', preferredArea: 'Karosta', note: 'Maiņu darbs', status: 'received' });
    expect(m!.referenceCode).to.match(referenceCode);
    expect(Date.now() - m!.receivedAt.getTime()).to.be.lessThan(60_000);
    expect(m!.history).to.have.length(1);
    expect(m!.history[0]).to.include({ status: 'received', by: `import:${res.id}`, note: 'list.xlsx' });
    const i = await byCode('020717-21235');
    expect(i).to.include({ sector: 'police', neededFrom: '2020-03-24', preferredArea: null });
    expect(i!.parent).to.include({ phone: '+37129876543', email: null, language: 'ru' });

    const events = await DomainEventModel.find({ type: 'kindergarten.request_received' }).lean();
    expect(events.map((e) => String(e.subject!.id)).sort()).to.deep.equal((await PlacementRequestModel.find().lean()).map((r) => String(r._id)).sort());
    let text = '';
    for (const c of await mongoose.connection.db!.collections()) if (!c.collectionName.startsWith('importFiles')) text += JSON.stringify(await c.find({}).toArray());
    expect(text, 'no personal code in clear anywhere in the database').not.to.include('150316-21232');
    expect(text).not.to.include('15031621232');

    // The coordinator's list shows them like requests entered by hand.
    const listed = await request(stack().app).get('/api/placement-requests').set('Authorization', `Bearer ${token}`).expect(200);
    expect(listed.body.items.map((r: { lastName: string; status: string }) => `${r.lastName}:${r.status}`).sort()).to.deep.equal(['Kalniņa:received', 'Ozols:received', 'Petrovs:received']);

    const codes = (await PlacementRequestModel.find().lean()).map((r) => r.referenceCode).sort();
    const again = await importFile(token, { kind }, file);
    expect(again.summary).to.include({ rows: 3, created: 0, updated: 0, unchanged: 3, rejected: 0 });
    expect((await PlacementRequestModel.find().lean()).map((r) => r.referenceCode).sort()).to.deep.equal(codes);
    expect(await DomainEventModel.countDocuments({ type: 'kindergarten.request_received' })).to.equal(3);
  });

  it('an import run again after a crash counts and writes each request once', async () => {
    const token = await coordinator();
    const res = await importFile(token, { kind }, await list([marta, ivans, emils]));
    // As if the worker died after writing the batch but before saving its checkpoint.
    await ImportModel.updateOne({ _id: res.id }, { $set: { status: 'running', checkpointRow: 0, applied: { created: 0, updated: 0, unchanged: 0, rejected: 0, warnings: 0, processed: 0 } } });
    await runImport(res.id, { key: testPersonalCodeKey, maxRows: 1000 });
    const rerun = await ImportModel.findById(res.id).lean();
    expect(rerun?.summary).to.include({ rows: 3, created: 3, updated: 0, unchanged: 0 });
    expect(await PlacementRequestModel.countDocuments()).to.equal(3);
    expect(await DomainEventModel.countDocuments({ type: 'kindergarten.request_received' })).to.equal(3);
  });

  it('updates a waiting request (empty cells keep what is stored), leaves a placed child’s request alone with a warning, and finds a request entered by hand', async () => {
    const token = await coordinator();
    await importFile(token, { kind }, await list([marta, ivans]));
    const m = await byCode('150316-21232');
    const i = await byCode('020717-21235');
    await api(token).post(`/api/placement-requests/${m!._id}/wait`).expect(200);
    const k = await makeInstitution({ type: 'kindergarten', base: true });
    await api(token).post(`/api/placement-requests/${i!._id}/place`, { group: String(k.group!._id) }).expect(200);
    // Entered by hand before the list came.
    const byHand = await api(token)
      .post('/api/placement-requests', { firstName: 'Emīls', lastName: 'Ozols', personalCode: '11081524563', employer: 'Maxima Latvija', sector: 'retail', neededFrom: '2020-03-25', parentPhone: '27000000' })
      .expect(201);

    const changed = [...marta];
    changed[4] = ''; // phone left out: kept
    changed[7] = 'SIA Medicīnas centrs';
    changed[8] = 'sociālā aprūpe';
    changed[9] = '30.03.2020';
    changed[11] = ''; // note left out: kept
    const movedIvans = [...ivans];
    movedIvans[7] = 'Pašvaldības policija';
    const res = await importFile(token, { kind }, await list([changed, movedIvans, emils]));
    expect(res.summary).to.include({ rows: 3, created: 0, updated: 2, unchanged: 1, rejected: 0, warnings: 1 });
    expect(res.warnings.map((w) => [w.row, w.column, w.code])).to.deep.equal([[5, 'Personas kods', 'request_placed_not_changed']]);
    expect(res.warnings[0]!.message).to.equal(lv.imports.issues.request_placed_not_changed);

    const m2 = await byCode('150316-21232');
    expect(m2).to.include({ status: 'waiting', employer: 'SIA Medicīnas centrs', sector: 'social_care', neededFrom: '2020-03-30', note: 'Maiņu darbs', referenceCode: m!.referenceCode });
    expect(m2!.parent).to.include({ phone: '+37126123456', email: 'inese@example.lv' });
    const i2 = await byCode('020717-21235');
    expect(i2).to.include({ status: 'placed', employer: 'Valsts policija' });
    const e2 = await byCode('110815-24563');
    expect(String(e2!._id)).to.equal(byHand.body.id);
    expect(e2).to.include({ preferredArea: 'Centrs' });
    expect(e2!.parent).to.include({ name: 'Jānis Ozols', phone: '+37127000000', email: 'janis.ozols@example.lv' });
    expect(await PlacementRequestModel.countDocuments()).to.equal(3);

    // The same list once more: nothing left to change, and the placed child's row changes nothing either.
    const again = await importFile(token, { kind }, await list([changed, movedIvans, emils]));
    expect(again.summary).to.include({ created: 0, updated: 0, unchanged: 3, warnings: 1 });
  });

  it('a child placed while the import runs is not changed by it: the update is guarded like a placement', async () => {
    const token = await coordinator();
    await importFile(token, { kind }, await list([marta]));
    const m = await byCode('150316-21232');
    const changed = [...marta];
    changed[7] = 'SIA Medicīnas centrs';
    const cells = Object.fromEntries(kindergartenRequests.fields.map((f, c) => [f.key, changed[c]]));
    const parsed = rowParser(kindergartenRequests, { date1904: false, today: '2020-03-20' })(cells);
    if (!parsed.ok) throw new Error('the row should parse');
    const ctx = { importId: new mongoose.Types.ObjectId().toHexString(), institutionId: null, institutionCode: null, dryRun: false, key: testPersonalCodeKey, fileName: 'list.xlsx', today: '2020-03-20' };
    // The import has loaded the request as received; then the coordinator places the child.
    const apply = await openKindergartenRequests(ctx);
    const k = await makeInstitution({ type: 'kindergarten', base: true });
    await api(token).post(`/api/placement-requests/${m!._id}/place`, { group: String(k.group!._id) }).expect(200);
    const [result] = await apply([{ rowNumber: 4, record: parsed.record }]);
    expect(result).to.deep.equal({ outcome: 'unchanged', errors: [], warnings: [{ field: 'personalCode', code: 'request_placed_not_changed' }] });
    expect(await byCode('150316-21232')).to.include({ status: 'placed', employer: 'Liepājas reģionālā slimnīca' });
  });

  it('reports bad rows with their row, column and code and creates the good ones', async () => {
    const token = await coordinator();
    const rows = [
      marta,
      ['Anna', 'Liepa', '241216-20670', '', '', '', '', 'Rimi', 'tirdzniecība', '23.03.2020', '', ''],
      ['Pauls', 'Krūmiņš', '300918-23456', '', '', '', '', '', 'transports', '23.03.2020', '', ''],
      ['Rasa', 'Bērziņa', '050517-27895', '', '', '', '', 'Zemnieku saimniecība', 'lauksaimniecība', '23.03.2020', '', ''],
      ['Oskars', 'Vītols', '020717-21235', '', '', '', '', 'Latvijas Pasts', 'cita nozare', '31.02.2020', '', ''],
      ['Marta', 'Kalniņa', '15031621232', '', '', '', '', 'Slimnīca', 'veselības aprūpe', '24.03.2020', '', ''],
      ['Līva', 'Zariņa', '1503162', '', '', '', '', 'Slimnīca', 'veselības aprūpe', '24.03.2020', '', ''],
      ['Kārlis', 'Zariņš', '241216-20676', 'Ilze Zariņa', '12', 'ilze(at)example.lv', 'klingoņu', 'Liepājas ūdens', 'komunālie pakalpojumi', '26.03.2020', '', ''],
      emils,
    ];
    const res = await importFile(token, { kind }, await list(rows));
    expect(res.summary).to.include({ rows: 9, created: 3, rejected: 6, warnings: 3 });
    // Rows are Excel's: two title rows and the header come first.
    expect(res.errors.map((e) => [e.row, e.column, e.code])).to.deep.equal([
      [5, 'Personas kods', 'personal_code_check_digit'],
      [6, 'Darba devējs', 'required'],
      [7, 'Nozare', 'unknown_sector'],
      [8, 'Vajadzīgs no', 'invalid_date'],
      [9, 'Personas kods', 'duplicate_in_file'],
      [10, 'Personas kods', 'personal_code_format'],
    ]);
    expect(res.errors.find((e) => e.code === 'unknown_sector')!.message).to.equal(lv.imports.issues.unknown_sector!.replace('{{column}}', 'Nozare'));
    expect(res.warnings.map((w) => [w.row, w.column, w.code])).to.deep.equal([
      [11, 'Tālrunis', 'invalid_phone'],
      [11, 'E-pasts', 'invalid_email'],
      [11, 'Valoda', 'unknown_language'],
    ]);
    expect((await PlacementRequestModel.find().lean()).map((r) => r.child!.firstName).sort()).to.deep.equal(['Emīls', 'Kārlis', 'Marta']);
    expect((await byCode('150316-21232'))!.employer, 'the first row of a repeated child counts').to.equal('Liepājas reģionālā slimnīca');
    const karlis = await byCode('241216-20676');
    expect(karlis!.parent).to.include({ name: 'Ilze Zariņa', phone: null, email: null, language: 'lv' });
  });

  it('a preview writes nothing and shows what Apply will do; a principal is refused as for a ministry shipment', async () => {
    const token = await coordinator();
    await importFile(token, { kind }, await list([marta]));
    const changed = [...marta];
    changed[7] = 'SIA Medicīnas centrs';
    const before = JSON.stringify(await PlacementRequestModel.find().lean());
    const preview = await importFile(token, { kind, dryRun: true }, await list([changed, ivans, emils]));
    expect(preview.summary).to.include({ rows: 3, created: 2, updated: 1, unchanged: 0 });
    expect(JSON.stringify(await PlacementRequestModel.find().lean())).to.equal(before);
    expect(await DomainEventModel.countDocuments({ type: 'kindergarten.request_received' })).to.equal(1);
    const applied = await api(token).post(`/api/imports/${preview.id}/apply`).expect(202);
    const { waitForImport } = await import('../support/imports.ts');
    const done = await waitForImport(token, applied.body.id);
    expect(done.summary).to.include({ created: 2, updated: 1 });
    expect(await PlacementRequestModel.countDocuments()).to.equal(3);

    const school = await makeInstitution();
    const principal = await makeToken((await makeUser('principal', school.code)).email);
    const refused = await upload(principal, { kind }, await list([ivans])).expect(403);
    const shipment = await upload(principal, { kind: 'ministry-shipment' }, await list([ivans])).expect(403);
    expect(refused.body).to.deep.equal(shipment.body);
    const withInstitution = await upload(principal, { kind, institution: school.code }, await list([ivans])).expect(403);
    expect(withInstitution.body).to.deep.equal(shipment.body);
    expect(await ImportModel.countDocuments({ kind })).to.equal(3);
    expect(await ImportModel.countDocuments({ kind, institution: { $ne: null } }), 'the office\'s imports belong to no institution').to.equal(0);
  });

  it('the template has the headers, the sector and language drop-downs and instructions; the upload page offers the kind to coordinators only', async () => {
    const token = await coordinator();
    const res = await request(stack().app)
      .get(`/api/imports/templates/${kind}.xlsx?lang=lv`)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse(bytes)
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    expect(wb.worksheets.map((ws) => ws.name)).to.deep.equal(['Norādījumi', 'Dati']);
    expect(String(wb.worksheets[0]!.getCell('A1').value)).to.include('dežūrdārziņā');
    const data = wb.getWorksheet('Dati')!;
    const headers = (data.getRow(1).values as unknown[]).slice(1);
    expect(headers).to.deep.equal(['Bērna vārds', 'Bērna uzvārds', 'Bērna personas kods', 'Vecāka vārds, uzvārds', 'Vecāka tālrunis', 'Vecāka e-pasts', 'Valoda', 'Darba devējs', 'Nozare', 'Vajadzīgs no', 'Vēlamais rajons', 'Piezīmes']);
    const sectorList = data.getCell(2, headers.indexOf('Nozare') + 1).dataValidation;
    expect(sectorList?.type).to.equal('list');
    expect(sectorList?.formulae).to.deep.equal(['"veselības aprūpe,policija,tirdzniecība,komunālie pakalpojumi,sociālā aprūpe,transports,cita nozare"']);
    expect(data.getCell(2, headers.indexOf('Valoda') + 1).dataValidation?.formulae).to.deep.equal(['"latviešu,krievu,angļu"']);
    const ru = await request(stack().app).get(`/api/imports/templates/${kind}.xlsx?lang=ru`).set('Authorization', `Bearer ${token}`).expect(200);
    // Named in the reader's language: the kind, then "template".
    const ruText = (key: string) => translator('ru')(key);
    expect(decodeURIComponent(String(ru.headers['content-disposition']).split("UTF-8''")[1] ?? '')).to.equal(`${ruText(`imports.kinds.${kind}`)} - ${ruText('imports.template.fileSuffix')}.xlsx`);

    const coord = await makeUser('coordinator');
    const c = await signedInAgent(stack().app, coord.email);
    expect((await c.agent.get('/imports').expect(200)).text).to.include(`<option value="${kind}">`);
    const school = await makeInstitution();
    const p = await signedInAgent(stack().app, (await makeUser('principal', school.code)).email);
    const page = (await p.agent.get('/imports').expect(200)).text;
    expect(page).to.include('<option value="device-needs">');
    expect(page).not.to.include(`<option value="${kind}">`);
  });
});
