import { once } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { writeReport, type ReportIssue } from '../../../imports/report.ts';
import { readImportRows, type HeaderEvent, type RowEvent, type SourceFile } from '../../../imports/readWorkbook.ts';
import { deviceNeeds } from '../../../imports/kinds/deviceNeeds.ts';

const labels = { sheet: 'Kļūdu pārskats', errorsColumn: 'Kļūdas' };
const red = 'FFFFC7CE';
const yellow = 'FFFFEB9C';
const birthday = new Date(Date.UTC(2010, 0, 15));

/** An upload as a school makes it: a title, a blank row, then the header on row 3. */
async function upload(): Promise<SourceFile> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Saraksts');
  ws.getCell('A1').value = 'Ierīču pieprasījums 2020./2021. m. g.';
  ws.getRow(3).values = ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce', 'Vecāka tālrunis', 'Dzimšanas datums', 'Iemesls'];
  ws.getRow(4).values = ['5.a', 'Anna', 'Bērziņa', '020307-20404', 'dators', 29123456, birthday, { formula: 'A1', result: 'x' }];
  ws.getRow(5).values = ['5.b', '=HYPERLINK("http://x")', 'Ozols', '020307-20404', 'planšete', '+37129123456', null, '@SUM(A1)'];
  // Row 6 stays blank; row 7 has rich text, no device and a value beyond the last titled column.
  ws.getRow(7).values = ['6.a', { richText: [{ text: 'Jā' }, { text: 'nis', font: { bold: true } }] }, 'Kalns', '020307-20404', null];
  ws.getCell('J7').value = 'stray';
  return { format: 'xlsx', bytes: Buffer.from(await wb.xlsx.writeBuffer()) };
}

const issues: ReportIssue[] = [
  { row: 4, field: 'guardianPhone', severity: 'warning', message: 'Nepareizs tālrunis' },
  { row: 4, field: 'personalCode', severity: 'error', message: 'Nederīgs personas kods' },
  { row: 7, field: 'deviceType', severity: 'error', message: 'Ierīce jānorāda' },
  { row: 7, field: null, severity: 'error', message: 'Dublikāts' },
  { row: 99, field: null, severity: 'error', message: 'Row that is not in the file' },
];

async function report(file: SourceFile, list: ReportIssue[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await Promise.all([writeReport(file, deviceNeeds.fields, list, labels, out), once(out, 'end')]);
  return Buffer.concat(chunks);
}

async function load(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  expect(wb.worksheets).to.have.length(1);
  return wb.worksheets[0]!;
}

const fillOf = (cell: ExcelJS.Cell) => (cell.fill?.type === 'pattern' ? cell.fill.fgColor?.argb : undefined);

async function readAll(file: SourceFile): Promise<{ header: HeaderEvent; rows: RowEvent[] }> {
  let header: HeaderEvent | null = null;
  const rows: RowEvent[] = [];
  for await (const ev of readImportRows(file, deviceNeeds.fields, { maxRows: 1000 })) {
    if (ev.type === 'header') header = ev;
    else rows.push(ev);
  }
  expect(header).to.not.equal(null);
  return { header: header!, rows };
}

describe('import report', () => {
  it('writes the header as found plus an errors column beyond the widest data, then the data rows in order', async () => {
    const ws = await load(await report(await upload(), issues));
    expect(ws.name).to.equal(labels.sheet);
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).to.deep.equal(['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce', 'Vecāka tālrunis', 'Dzimšanas datums', 'Iemesls', undefined, undefined, 'Kļūdas']);
    expect(ws.getCell('A1').font?.bold).to.equal(true);
    expect(ws.views[0]).to.include({ state: 'frozen', ySplit: 1 });
    // The title, the blank row and nothing else is dropped: three data rows follow the header.
    expect(ws.actualRowCount).to.equal(4);
    expect(['A2', 'A3', 'A4'].map((a) => ws.getCell(a).value)).to.deep.equal(['5.a', '5.b', '6.a']);
  });

  it('keeps numbers and dates, turns formulas into their result and rich text into text', async () => {
    const ws = await load(await report(await upload(), issues));
    expect(ws.getCell('F2').value).to.equal(29123456);
    expect(ws.getCell('G2').value).to.be.instanceOf(Date);
    expect((ws.getCell('G2').value as Date).getTime()).to.equal(birthday.getTime());
    expect(ws.getCell('H2').value).to.equal('x');
    expect(ws.getCell('H2').formula).to.equal(undefined);
    expect(ws.getCell('B4').value).to.equal('Jānis');
    expect(ws.getCell('J4').value).to.equal('stray');
  });

  it('never writes user text as a formula', async () => {
    const ws = await load(await report(await upload(), issues));
    for (const [address, text] of [['B3', '=HYPERLINK("http://x")'], ['F3', '+37129123456'], ['H3', '@SUM(A1)']] as const) {
      const cell = ws.getCell(address);
      expect(cell.type, address).to.equal(ExcelJS.ValueType.String);
      expect(cell.value, address).to.equal(text);
      expect(cell.formula, address).to.equal(undefined);
    }
  });

  it('joins messages errors first and colours the cells of the fields concerned', async () => {
    const ws = await load(await report(await upload(), issues));
    expect(ws.getCell('K2').value).to.equal('Nederīgs personas kods; Nepareizs tālrunis');
    expect(fillOf(ws.getCell('D2'))).to.equal(red);
    expect(fillOf(ws.getCell('F2'))).to.equal(yellow);
    expect(fillOf(ws.getCell('A2'))).to.equal(undefined);
    expect(fillOf(ws.getCell('K2'))).to.equal(undefined);

    expect(ws.getCell('K3').value).to.equal(null);
    for (const a of ['A3', 'B3', 'K3']) expect(fillOf(ws.getCell(a)), a).to.equal(undefined);

    expect(ws.getCell('K4').value).to.equal('Ierīce jānorāda; Dublikāts');
    // The device cell is empty but still marked, and the row-level issue marks the errors cell.
    expect(fillOf(ws.getCell('E4'))).to.equal(red);
    expect(fillOf(ws.getCell('K4'))).to.equal(red);
  });

  it('can be uploaded again: the reader finds the header and the same data rows', async () => {
    const original = await readAll(await upload());
    const bytes = await report(await upload(), issues);
    const again = await readAll({ format: 'xlsx', bytes });
    expect(again.header.rowNumber).to.equal(1);
    expect(again.header.match.missingRequired).to.deep.equal([]);
    expect(again.header.match.unknown.map((u) => u.header)).to.deep.equal(['Dzimšanas datums', 'Kļūdas']);
    expect(again.rows.map((r) => r.cells.firstName)).to.deep.equal(['Anna', '=HYPERLINK("http://x")', 'Jānis']);
    expect(again.rows.map((r) => r.cells.guardianPhone)).to.deep.equal(original.rows.map((r) => r.cells.guardianPhone));
    expect(again.rows.map((r) => r.cells.personalCode)).to.deep.equal(original.rows.map((r) => r.cells.personalCode));

    // A report of the report reuses the errors column rather than adding a second one.
    const second = await load(await report({ format: 'xlsx', bytes }, [{ row: 3, field: 'firstName', severity: 'error', message: 'Vārds?' }]));
    expect(second.getRow(1).cellCount).to.equal(11);
    expect(second.getCell('K1').value).to.equal('Kļūdas');
    expect(second.getCell('K2').value).to.equal(null);
    expect(second.getCell('K3').value).to.equal('Vārds?');
    expect(fillOf(second.getCell('B3'))).to.equal(red);
  });

  it('waits for a slow reader and still writes every row', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Dati');
    ws.addRow(['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce']);
    for (let i = 0; i < 3000; i++) ws.addRow([`${i}.a`, `Vārds ${i} ${'x'.repeat(50)}`, 'Uzvārds', '020307-20404', 'dators']);
    const file: SourceFile = { format: 'xlsx', bytes: Buffer.from(await wb.xlsx.writeBuffer()) };
    const chunks: Buffer[] = [];
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        setImmediate(cb);
      },
    });
    await writeReport(file, deviceNeeds.fields, [{ row: 3001, field: 'class', severity: 'warning', message: 'w' }], labels, slow);
    const out = await load(Buffer.concat(chunks));
    expect(out.actualRowCount).to.equal(3001);
    expect(out.getCell('A3001').value).to.equal('2999.a');
    expect(out.getCell('F3001').value).to.equal('w');
    expect(fillOf(out.getCell('A3001'))).to.equal(yellow);
  });
});
