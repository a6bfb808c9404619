import { expect } from 'chai';
import mongoose from 'mongoose';
import request from 'supertest';
import { stack, resetData } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { fixture, importFile, makeWorkbook, upload } from '../support/imports.ts';
import { PupilModel } from '../../src/pupils/model.ts';
import { DeviceNeedModel, DeviceModel } from '../../src/devices/model.ts';
import { FamilyStatusModel } from '../../src/foodcards/model.ts';
import { AttendanceModel } from '../../src/kindergartens/model.ts';
import { loadCatalogue } from '../../src/i18n/index.ts';
import { personalCodes } from '../support/personalCodes.ts';
import { makeZip } from '../support/zip.ts';
import { reshaped } from '../support/xmlDialects.ts';
import ExcelJS from 'exceljs';
import { bytes } from '../support/bytes.ts';

const lv = loadCatalogue('lv') as { imports: { issues: Record<string, string> } };

async function principalOf(type: 'school' | 'kindergarten' = 'school', base = false) {
  const inst = await makInst(type, base);
  const p = await makeUser('principal', inst.code);
  return { ...inst, token: await makeToken(p.email) };
}
const makInst = (type: 'school' | 'kindergarten', base: boolean) => makeInstitution({ type, base });

async function dbText(): Promise<string> {
  const db = mongoose.connection.db!;
  let text = '';
  for (const c of await db.collections()) {
    if (c.collectionName.startsWith('importFiles')) continue;
    text += JSON.stringify(await c.find({}).toArray());
  }
  return text;
}

describe('imports: device-needs', () => {
  beforeEach(resetData);

  it('reads the sample list: title row, phones as numbers, one wrong check digit rejected with its row and column', async () => {
    const { token } = await principalOf();
    const res = await importFile(token, { kind: 'device-needs' }, fixture('device-needs-title-row-phones-as-numbers-one-bad-check-digit.xlsx'));
    expect(res.status).to.equal('succeeded');
    expect(res.summary).to.include({ rows: 9, created: 8, updated: 0, unchanged: 0, rejected: 1 });
    expect(res.errors).to.have.length(1);
    expect(res.errors[0]).to.include({ row: 11, column: 'Personas kods', code: 'personal_code_check_digit' });
    expect(res.errors[0]!.message).to.equal(lv.imports.issues.personal_code_check_digit!.replace('{{column}}', 'Personas kods'));
    expect(await PupilModel.countDocuments()).to.equal(8);
    expect(await DeviceNeedModel.countDocuments({ status: 'registered' })).to.equal(8);
    const pupil = await PupilModel.findOne({ firstName: 'Rihards' }).lean();
    expect(pupil?.personalCodeMasked).to.equal('020307-2****');
    expect(pupil?.guardian?.phone).to.equal('+37126500000');
    expect(pupil?.guardian?.language).to.equal('ru');
    const need = await DeviceNeedModel.findOne({ pupil: pupil!._id }).lean();
    expect(need?.deviceType).to.equal('laptop');
    expect(need?.referenceCode).to.match(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{3}$/);
    const text = await dbText();
    expect(text, 'no personal code in clear anywhere in the database').not.to.include('020307-20404');
    expect(text).not.to.include('02030720404');
  });

  it('uploading the same list again changes nothing and says so', async () => {
    const { token } = await principalOf();
    const file = fixture('device-needs-title-row-phones-as-numbers-one-bad-check-digit.xlsx');
    await importFile(token, { kind: 'device-needs' }, file);
    const codes = (await DeviceNeedModel.find().lean()).map((n) => n.referenceCode).sort();
    const again = await importFile(token, { kind: 'device-needs' }, file);
    expect(again.summary).to.include({ rows: 9, created: 0, updated: 0, unchanged: 8, rejected: 1 });
    expect(await PupilModel.countDocuments()).to.equal(8);
    expect((await DeviceNeedModel.find().lean()).map((n) => n.referenceCode).sort()).to.deep.equal(codes);
  });

  it('a preview writes nothing; Apply then writes what the preview showed', async () => {
    const { token } = await principalOf();
    const preview = await importFile(token, { kind: 'device-needs', dryRun: true }, fixture('device-needs-title-row-phones-as-numbers-one-bad-check-digit.xlsx'));
    expect(preview.summary).to.include({ created: 8, rejected: 1 });
    expect(await PupilModel.countDocuments()).to.equal(0);
    expect(await DeviceNeedModel.countDocuments()).to.equal(0);
    const applied = await request(stack().app).post(`/api/imports/${preview.id}/apply`).set('Authorization', `Bearer ${token}`).expect(202);
    const again = await request(stack().app).post(`/api/imports/${preview.id}/apply`).set('Authorization', `Bearer ${token}`).expect(202);
    expect(again.body.id, 'pressing Apply twice applies once').to.equal(applied.body.id);
    const { waitForImport } = await import('../support/imports.ts');
    const done = await waitForImport(token, applied.body.id);
    expect(done.summary).to.include({ created: 8, rejected: 1 });
    expect(await PupilModel.countDocuments()).to.equal(8);
  });

  it('rejects a repeated personal code and bad required fields, keeps the good rows, drops bad optional fields with a warning', async () => {
    const { token } = await principalOf();
    const file = await makeWorkbook(
      ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce', 'Vecāka tālrunis', 'Vecāka e-pasts', 'Valoda'],
      [
        ['5.a', 'Anna', 'Bērziņa', '020307-20404', 'planšete', '26 123 456', 'ANNA@Example.LV', 'lv'],
        ['5.a', 'Anna', 'Bērziņa', '02030720404', 'dators', '', '', ''],
        ['', 'Jānis', 'Ozols', '030408-20411', 'laptop', '', '', ''],
        ['6.b', 'Pēteris', 'Kļava', '310299-10000', 'laptop', '', '', ''],
        ['6.b', 'Līga', 'Roze', '040509-20429', 'velosipēds', '', '', ''],
        ['7.c', 'Olga', 'Ivanova', '050610-20439', 'ноутбук', '12', 'not-an-email', 'русский'],
      ],
      { titles: ['Liepājas 5. vidusskola', ''] },
    );
    const res = await importFile(token, { kind: 'device-needs' }, file);
    expect(res.summary).to.include({ rows: 6, created: 2, rejected: 4, warnings: 2 });
    const byRow = Object.fromEntries(res.errors.map((e) => [e.row, e.code]));
    expect(byRow).to.deep.equal({ 5: 'duplicate_in_file', 6: 'required', 7: 'personal_code_date', 8: 'unknown_device_type' });
    expect(res.warnings.map((w) => [w.row, w.column, w.code])).to.deep.equal([
      [9, 'Vecāka tālrunis', 'invalid_phone'],
      [9, 'Vecāka e-pasts', 'invalid_email'],
    ]);
    const anna = await PupilModel.findOne({ firstName: 'Anna' }).lean();
    expect(anna?.guardian).to.include({ phone: '+37126123456', email: 'anna@example.lv' });
    const olga = await PupilModel.findOne({ firstName: 'Olga' }).lean();
    expect(olga?.guardian).to.include({ phone: null, email: null, language: 'ru' });
  });

  it('reads a Windows-1257 .csv with semicolons', async () => {
    const { token } = await principalOf();
    const text = 'Klase;Vārds;Uzvārds;Personas kods;Ierīce\r\n3.a;Ģirts;Šķēle;020307-20404;planšete\r\n';
    const bytes = Buffer.from(new TextEncoder().encode(text));
    // Re-encode by hand: the Latvian letters used here in Windows-1257.
    const map: Record<string, number> = { ā: 0xe2, Ģ: 0xcc, Š: 0xd0, ķ: 0xed, ē: 0xe7, ī: 0xee, š: 0xf0 };
    const cp = Buffer.from([...text].map((ch) => map[ch] ?? ch.charCodeAt(0)));
    expect(cp.length).to.be.lessThan(bytes.length);
    const res = await importFile(token, { kind: 'device-needs' }, cp, 'saraksts.csv');
    expect(res.summary).to.include({ rows: 1, created: 1 });
    expect((await PupilModel.findOne().lean())?.lastName).to.equal('Šķēle');
  });

  it('reads Excel’s “Unicode Text” (UTF-16, tab separated) saved with a .txt or .csv name', async () => {
    const { token } = await principalOf();
    const [code] = personalCodes(1);
    const text = `Klase\tVārds\tUzvārds\tPersonas kods\tIerīce\r\n3.a\tĢirts\tŠķēle\t${code}\tplanšete\r\n`;
    const file = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const res = await importFile(token, { kind: 'device-needs' }, file, 'saraksts.txt');
    expect(res.summary).to.include({ rows: 1, created: 1, rejected: 0 });
    expect(await PupilModel.findOne({}, { firstName: 1, lastName: 1 }).lean()).to.include({ firstName: 'Ģirts', lastName: 'Šķēle' });
  });

  it('a list exported by a program built on the Open XML SDK (x: prefixes, no cell references, sheet.xml) imports and reports exactly as Excel’s', async () => {
    const { token } = await principalOf();
    const sample = fixture('device-needs-title-row-phones-as-numbers-one-bad-check-digit.xlsx');
    const res = await importFile(token, { kind: 'device-needs' }, reshaped(sample, { prefix: true, noReferences: true, sheetPartNames: true }));
    expect(res.status).to.equal('succeeded');
    expect(res.summary).to.include({ rows: 9, created: 8, rejected: 1 });
    expect(res.errors.map((e) => [e.row, e.column, e.code])).to.deep.equal([[11, 'Personas kods', 'personal_code_check_digit']]);
    expect((await PupilModel.findOne({ firstName: 'Rihards' }).lean())?.guardian?.phone).to.equal('+37126500000');

    const report = await request(stack().app)
      .get(`/api/imports/${res.id}/report.xlsx`)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse(bytes)
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.body as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const errorsColumn = (ws.getRow(1).values as unknown[]).length - 1;
    const flagged: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 1 && row.getCell(errorsColumn).value) flagged.push(String(row.getCell(errorsColumn).value));
    });
    expect(ws.rowCount).to.equal(10);
    expect(flagged).to.have.length(1);
    expect(flagged[0]).to.include('Personas kods');

    const again = await importFile(token, { kind: 'device-needs' }, sample);
    expect(again.summary, 'the same list from Excel is the same pupils').to.include({ created: 0, unchanged: 8, rejected: 1 });
  });

  it('a list with rows hidden by a filter reads every row, and says which were hidden, in the preview and when applied', async () => {
    const { token } = await principalOf();
    const codes = personalCodes(4);
    const names = ['Anna', 'Jānis', 'Pēteris', 'Ilze'];
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Dati');
    ws.addRow(['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce']);
    names.forEach((name, i) => ws.addRow([i < 2 ? '5.a' : '5.b', name, 'Ozols', codes[i], 'dators']));
    // Filtered to 5.a: the 5.b rows (Excel's rows 4 and 5) hidden.
    ws.autoFilter = 'A1:E5';
    for (const n of [4, 5]) ws.getRow(n).hidden = true;
    const list = Buffer.from(await wb.xlsx.writeBuffer());
    const hiddenWarning = (row: number) => ({ row, column: null, code: 'hidden_row', message: lv.imports.issues.hidden_row });
    const preview = await importFile(token, { kind: 'device-needs', dryRun: true }, list);
    expect(preview.summary).to.include({ rows: 4, created: 4, rejected: 0, warnings: 2 });
    expect(preview.warnings).to.deep.equal([hiddenWarning(4), hiddenWarning(5)]);
    expect(await PupilModel.countDocuments()).to.equal(0);
    const applied = await importFile(token, { kind: 'device-needs' }, list);
    expect(applied.warnings).to.deep.equal([hiddenWarning(4), hiddenWarning(5)]);
    expect((await PupilModel.find({}, { firstName: 1 }).lean()).map((p) => p.firstName).sort()).to.deep.equal([...names].sort());
  });

  it('a list with each name in one "Vārds, uzvārds" column saves first and last names apart, and asks to check a three-word name', async () => {
    const { token } = await principalOf();
    const codes = personalCodes(3);
    const csv = ['Klase;Vārds, uzvārds;Personas kods;Ierīce', `5.a;Anna Bērziņa;${codes[0]};dators`, `5.a;Anna Marija Kalniņa;${codes[1]};dators`, `5.b;Ēriks;${codes[2]};dators`].join('\r\n');
    const res = await importFile(token, { kind: 'device-needs' }, Buffer.from(csv), 'saraksts.csv');
    expect(res.summary).to.include({ rows: 3, created: 2, rejected: 1, warnings: 1 });
    const column = 'Vārds, uzvārds';
    expect(res.warnings).to.deep.equal([{ row: 3, column, code: 'whole_name_split', message: lv.imports.issues.whole_name_split!.replace('{{column}}', column) }]);
    expect(res.errors.map((e: { row: number; column: string | null; code: string }) => [e.row, e.column, e.code])).to.deep.equal([[4, column, 'required']]);
    const saved = (await PupilModel.find({}, { firstName: 1, lastName: 1 }).lean()).map((p) => `${p.firstName} | ${p.lastName}`).sort();
    expect(saved).to.deep.equal(['Anna | Bērziņa', 'Anna Marija | Kalniņa'].sort());
    const again = await importFile(token, { kind: 'device-needs' }, Buffer.from(csv), 'saraksts.csv');
    expect(again.summary, 'the same list again changes nothing').to.include({ created: 0, updated: 0, unchanged: 2 });
  });

  it('a .csv with a quote never closed keeps every pupil after it; one closed lines later rejects its row, and no code lands in a name', async () => {
    const { token } = await principalOf();
    const codes = personalCodes(5);
    const head = 'Klase;Vārds;Uzvārds;Personas kods;Ierīce';
    const stray = [head, `5.a;Anna;Bērziņa;${codes[0]};dators`, `5.a;"Jānis;Kalniņš;${codes[1]};planšete`, `5.b;Pēteris;Ozols;${codes[2]};dators`, `5.b;Ilze;Liepa;${codes[3]};dators`].join('\r\n');
    const res = await importFile(token, { kind: 'device-needs' }, Buffer.from(stray), 'saraksts.csv');
    expect(res.summary).to.include({ rows: 4, created: 4, rejected: 0, warnings: 1 });
    expect(res.warnings).to.deep.equal([{ row: 3, column: 'Vārds', code: 'stray_quote', message: lv.imports.issues.stray_quote!.replace('{{column}}', 'Vārds') }]);
    expect((await PupilModel.find({}, { firstName: 1 }).lean()).map((p) => p.firstName).sort()).to.deep.equal(['Anna', 'Ilze', 'Jānis', 'Pēteris']);

    await resetData();
    const again = await principalOf();
    const joined = [head, `5.a;Anna;Bērziņa;${codes[0]};dators`, `5.a;"Jānis;Kalniņš;${codes[1]};planšete`, `5.b;Pēteris;Ozols;${codes[2]};dators`, `5.b;Ilze";Liepa;${codes[3]};dators`, `5.c;Kārlis;Zariņš;${codes[4]};dators`].join('\r\n');
    const rejected = await importFile(again.token, { kind: 'device-needs' }, Buffer.from(joined), 'saraksts.csv');
    expect(rejected.summary).to.include({ rows: 3, created: 2, rejected: 1 });
    expect(rejected.errors.map((e) => [e.row, e.code])).to.deep.equal([[3, 'rows_joined']]);
    expect((await PupilModel.find({}, { firstName: 1 }).lean()).map((p) => p.firstName).sort()).to.deep.equal(['Anna', 'Kārlis']);
  });

  it('keeps a guardian’s language when a later list names none or one it does not recognise', async () => {
    const { token } = await principalOf();
    const head = ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce', 'Valoda'];
    const [code] = personalCodes(1);
    const list = (language: string) => makeWorkbook(head, [['5.a', 'Ivans', 'Petrovs', code, 'planšete', language]]);
    const language = async () => (await PupilModel.findOne().lean())!.guardian!.language;

    await importFile(token, { kind: 'device-needs' }, await list('Krievu valoda'));
    expect(await language()).to.equal('ru');
    const unknown = await importFile(token, { kind: 'device-needs' }, await list('kaut kāda'));
    expect(unknown.warnings.map((w) => w.code)).to.deep.equal(['unknown_language']);
    expect(await language(), 'not recognised').to.equal('ru');
    const none = await importFile(token, { kind: 'device-needs' }, await list(''));
    expect(none.summary).to.include({ unchanged: 1, rejected: 0 });
    expect(await language(), 'not given').to.equal('ru');
    await importFile(token, { kind: 'device-needs' }, await list('angļu'));
    expect(await language()).to.equal('en');
  });

  it('refuses a pupil registered at another institution without touching them', async () => {
    const a = await principalOf();
    const b = await principalOf();
    const file = fixture('device-needs-title-row-phones-as-numbers-one-bad-check-digit.xlsx');
    await importFile(a.token, { kind: 'device-needs' }, file);
    const res = await importFile(b.token, { kind: 'device-needs' }, file);
    expect(res.summary).to.include({ created: 0, rejected: 9 });
    expect(res.errors.filter((e) => e.code === 'pupil_in_other_institution')).to.have.length(8);
    expect(await PupilModel.countDocuments({ institution: b.institution._id })).to.equal(0);
  });
});

describe('imports: food-entitlements, ministry-shipment, kindergarten-attendance', () => {
  beforeEach(resetData);

  it('food-entitlements: dates as real dates and as text', async () => {
    const { token } = await principalOf();
    const res = await importFile(token, { kind: 'food-entitlements' }, fixture('food-entitlements-real-and-text-dates.xlsx'));
    expect(res.summary).to.include({ rows: 6, created: 6, rejected: 0 });
    const statuses = await FamilyStatusModel.find().lean();
    expect(statuses.map((s) => s.status).sort()).to.deep.equal(['low_income', 'low_income', 'low_income', 'poor', 'poor', 'poor']);
    expect(statuses.every((s) => s.validFrom === '2020-02-01' && s.validTo === '2020-07-31')).to.equal(true);
  });

  it('food-entitlements: a .csv with month-first slashed dates is read as it meant; one whose dates read both ways is refused row by row, saying why', async () => {
    const { token } = await principalOf();
    const head = 'Personas kods,Vārds,Uzvārds,Statuss,Derīgs no,Derīgs līdz';
    const us = [head, '100109-20601,Rihards,Kalniņš,trūcīga,2/1/2020,7/31/2020', '110210-20611,Evelīna,Ozola,trūcīga,9/1/2020,12/31/2020'].join('\r\n');
    const read = await importFile(token, { kind: 'food-entitlements' }, Buffer.from(us), 'statusi.csv');
    expect(read.summary).to.include({ rows: 2, created: 2, rejected: 0 });
    expect((await FamilyStatusModel.find().lean()).map((s) => [s.validFrom, s.validTo]).sort()).to.deep.equal([
      ['2020-02-01', '2020-07-31'],
      ['2020-09-01', '2020-12-31'],
    ]);

    const unclear = [head, '120311-20629,Niks,Priede,trūcīga,2/1/2020,3/1/2020'].join('\r\n');
    const refused = await importFile(token, { kind: 'food-entitlements' }, Buffer.from(unclear), 'statusi.csv');
    expect(refused.summary).to.include({ rows: 1, created: 0, rejected: 1 });
    expect(refused.errors.map((e) => [e.row, e.column, e.code])).to.deep.equal([
      [2, 'Derīgs no', 'ambiguous_date'],
      [2, 'Derīgs līdz', 'ambiguous_date'],
    ]);
    expect(refused.errors[0]!.message).to.equal(lv.imports.issues.ambiguous_date!.replace('{{column}}', 'Derīgs no'));
  });

  it('food-entitlements: a validity ending before it starts and an unknown status are rejected', async () => {
    const { token } = await principalOf();
    const file = await makeWorkbook(
      ['Personas kods', 'Vārds', 'Uzvārds', 'Statuss', 'Derīgs no', 'Derīgs līdz'],
      [
        ['100109-20601', 'A', 'B', 'trūcīga', '01.05.2020', '01.04.2020'],
        ['110210-20611', 'C', 'D', 'bagāta', '01.05.2020', '01.06.2020'],
        ['120311-20629', 'E', 'F', 'малоимущая', 43952, '30.06.2020'],
      ],
    );
    const res = await importFile(token, { kind: 'food-entitlements' }, file);
    expect(res.errors.map((e) => [e.row, e.code])).to.deep.equal([
      [2, 'validity_reversed'],
      [3, 'unknown_status'],
    ]);
    expect((await FamilyStatusModel.findOne().lean())?.validFrom).to.equal('2020-05-01');
  });

  it('ministry-shipment: coordinator only, devices go to the office stock by serial', async () => {
    const coord = await makeUser('coordinator');
    const token = await makeToken(coord.email);
    const res = await importFile(token, { kind: 'ministry-shipment' }, fixture('ministry-shipment-12-devices.xlsx'));
    expect(res.summary).to.include({ rows: 12, created: 12, rejected: 0 });
    expect(await DeviceModel.countDocuments({ status: 'in_stock', institution: null })).to.equal(12);
    expect(await DeviceModel.countDocuments({ type: 'tablet' })).to.equal(4);
    const again = await importFile(token, { kind: 'ministry-shipment' }, fixture('ministry-shipment-12-devices.xlsx'));
    expect(again.summary).to.include({ created: 0, unchanged: 12 });
    const { token: principal } = await principalOf();
    await upload(principal, { kind: 'ministry-shipment' }, fixture('ministry-shipment-12-devices.xlsx')).expect(403);
  });

  it('kindergarten-attendance: per group and day; unknown group, future date and bad counts rejected; over capacity warned', async () => {
    const k = await principalOf('kindergarten', true);
    const group = k.group!.name;
    const file = await makeWorkbook(
      ['Datums', 'Grupa', 'Reģistrēti', 'Klātesoši'],
      [
        ['16.03.2020', group, 10, 8],
        [new Date(Date.UTC(2020, 2, 17)), group.toUpperCase(), 10, 12],
        ['17.03.2020', 'Nav tādas', 5, 5],
        ['01.01.2099', group, 5, 5],
        ['18.03.2020', group, 5, -1],
        ['19.03.2020', group, 'daudz', 5],
        // The same group's day again: a repeat of the day and group together.
        ['16.03.2020', ` ${group.toLowerCase()} `, 9, 7],
      ],
    );
    const res = await importFile(k.token, { kind: 'kindergarten-attendance' }, file);
    expect(res.summary).to.include({ rows: 7, created: 2, rejected: 5 });
    expect(res.errors.map((e) => [e.row, e.code])).to.deep.equal([
      [4, 'unknown_group'],
      [5, 'date_in_future'],
      [6, 'negative'],
      [7, 'not_a_number'],
      [8, 'duplicate_day_group'],
    ]);
    expect(res.warnings.map((w) => w.code)).to.include.members(['over_capacity', 'present_above_registered']);
    expect(await AttendanceModel.countDocuments()).to.equal(2);
    const school = await principalOf('school');
    const refused = await upload(school.token, { kind: 'kindergarten-attendance' }, file).expect(400);
    expect(refused.body.error.code).to.equal('not_a_kindergarten');
  });
});

describe('imports: bad files are refused with their own code, nothing written', () => {
  beforeEach(resetData);

  it('no file, unknown kind, a renamed PDF, a LibreOffice .ods, an old .xls, a password-protected workbook, a zip bomb', async () => {
    const { token } = await principalOf();
    const code = async (p: ReturnType<typeof upload>, status: number) => (await p.expect(status)).body.error.code;
    expect(await code(upload(token, { kind: 'device-needs' }, null), 400)).to.equal('no_file');
    expect(await code(upload(token, { kind: 'pets' }, Buffer.from('x')), 400)).to.equal('unknown_kind');
    expect(await code(upload(token, { kind: 'device-needs' }, Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n\u0000'), 'list.xlsx'), 415)).to.equal('not_a_spreadsheet');
    const ods = makeZip([{ name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet'), store: true }, { name: 'content.xml', data: Buffer.from('<office:document-content/>') }]);
    expect(await code(upload(token, { kind: 'device-needs' }, ods, 'saraksts.ods'), 415)).to.equal('opendocument');
    const ole = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    expect(await code(upload(token, { kind: 'device-needs' }, ole, 'old.xls'), 415)).to.equal('old_xls');
    const encrypted = Buffer.concat([ole, Buffer.from('EncryptedPackage', 'utf16le'), Buffer.alloc(512)]);
    expect(await code(upload(token, { kind: 'device-needs' }, encrypted, 'secret.xlsx'), 415)).to.equal('password_protected');
    // A large encrypted workbook keeps its directory far into the file.
    const largeEncrypted = Buffer.concat([ole, Buffer.alloc(300 * 1024, 0x5a), Buffer.from('EncryptedPackage', 'utf16le'), Buffer.alloc(512)]);
    expect(await code(upload(token, { kind: 'device-needs' }, largeEncrypted, 'big-secret.xlsx'), 415)).to.equal('password_protected');
    const { zipBomb } = await import('../support/zipBomb.ts');
    expect(await code(upload(token, { kind: 'device-needs' }, zipBomb(), 'bomb.xlsx'), 400)).to.equal('zip_bomb');
    expect(await PupilModel.countDocuments()).to.equal(0);
  });

  it('a file over the size limit answers 413', async () => {
    const { token } = await principalOf();
    const big = Buffer.alloc(stack().config.imports.maxBytes + 1024, 0x41);
    const res = await upload(token, { kind: 'device-needs' }, big, 'big.csv').expect(413);
    expect(res.body.error.code).to.equal('file_too_large');
  });

  it('a sheet without a recognisable header, or missing required columns, fails with a sentence naming them', async () => {
    const { token } = await principalOf();
    const none = await importFile(token, { kind: 'device-needs' }, await makeWorkbook(['Kaut kas', 'Cits'], [['a', 'b']]));
    expect(none.status).to.equal('failed');
    expect(none.failure?.code).to.equal('no_header');
    const missing = await importFile(token, { kind: 'device-needs' }, await makeWorkbook(['Klase', 'Vārds', 'Uzvārds', 'Personas kods'], [['1.a', 'A', 'B', '020307-20404']]));
    expect(missing.failure?.code).to.equal('missing_columns');
    expect(missing.failure?.message).to.include('Ierīce');
    expect(await PupilModel.countDocuments()).to.equal(0);
  });

  it('finds the data sheet after an instructions sheet', async () => {
    const { token } = await principalOf();
    const file = await makeWorkbook(['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce'], [['1.a', 'A', 'B', '020307-20404', 'planšete']], {
      before: (wb) => {
        const s = wb.addWorksheet('Instrukcija');
        s.addRow(['Aizpildiet lapu Dati.']);
        s.addRow(['Personas kods ir obligāts.']);
      },
    });
    const res = await importFile(token, { kind: 'device-needs' }, file);
    expect(res.summary).to.include({ created: 1 });
  });
});

describe('imports: access', () => {
  beforeEach(resetData);

  it('a principal cannot upload for, or read the imports of, another institution', async () => {
    const a = await principalOf();
    const b = await principalOf();
    const res = await upload(b.token, { kind: 'device-needs', institution: a.code }, fixture('device-needs-title-row-phones-as-numbers-one-bad-check-digit.xlsx')).expect(404);
    expect(res.body.error.code).to.equal('institution_not_found');
    const mine = await importFile(a.token, { kind: 'device-needs' }, fixture('device-needs-title-row-phones-as-numbers-one-bad-check-digit.xlsx'));
    await request(stack().app).get(`/api/imports/${mine.id}`).set('Authorization', `Bearer ${b.token}`).expect(404);
    await request(stack().app).get(`/api/imports/${mine.id}/report.xlsx`).set('Authorization', `Bearer ${b.token}`).expect(404);
    const list = await request(stack().app).get('/api/imports').set('Authorization', `Bearer ${b.token}`).expect(200);
    expect(list.body.items).to.deep.equal([]);
  });

  it('GET /api/device-needs lists what an import registered, codes masked, and only within the caller\'s institution', async () => {
    const a = await principalOf();
    const b = await principalOf();
    await importFile(a.token, { kind: 'device-needs' }, fixture('device-needs-title-row-phones-as-numbers-one-bad-check-digit.xlsx'));
    const mine = await request(stack().app).get(`/api/device-needs?institution=${a.code}`).set('Authorization', `Bearer ${a.token}`).expect(200);
    expect(mine.body.items).to.have.length(8);
    const rihards = mine.body.items.find((i: { firstName: string }) => i.firstName === 'Rihards');
    expect(rihards).to.include({ deviceType: 'laptop', status: 'registered', personalCode: '020307-2****' });
    expect(rihards.class).to.be.a('string').and.not.equal('');
    expect(rihards.referenceCode).to.match(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{3}$/);
    expect(JSON.stringify(mine.body)).not.to.include('020307-20404');
    const theirs = await request(stack().app).get(`/api/device-needs?institution=${a.code}`).set('Authorization', `Bearer ${b.token}`).expect(404);
    expect(theirs.body.error.code).to.equal('institution_not_found');
    const own = await request(stack().app).get('/api/device-needs').set('Authorization', `Bearer ${b.token}`).expect(200);
    expect(own.body.items).to.deep.equal([]);
    const coord = await makeToken((await makeUser('coordinator')).email);
    const all = await request(stack().app).get('/api/device-needs').set('Authorization', `Bearer ${coord}`).expect(200);
    expect(all.body.items).to.have.length(8);
  });
});
