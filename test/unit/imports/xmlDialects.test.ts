import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { readImportRows, type SourceFile } from '../../../imports/readWorkbook.ts';
import { cellText } from '../../../imports/cells.ts';
import { kindSpecs } from '../../../imports/kinds/index.ts';
import { foodEntitlements } from '../../../imports/kinds/foodEntitlements.ts';
import { rowParser } from '../../../imports/kinds/parseRow.ts';
import { openXlsx } from '../../../imports/xlsxParts.ts';
import { zipLimits } from '../../../imports/sniff.ts';
import { rewritten, type PartDialect } from '../../../imports/xmlDialect.ts';
import { makeZip, unzipEntries } from '../../support/zip.ts';
import { personalCodes } from '../../support/personalCodes.ts';
import { streamedWorkbook } from '../../support/streamedWorkbook.ts';
import { reshaped, type Reshaping } from '../../support/xmlDialects.ts';

/**
 * A list as a school keeps it, written by Excel's rules: a title merged over the columns, a blank
 * row, the header, a class merged down over its pupils, a name in rich text, phones as numbers, a
 * cell left empty mid-row; then a hidden old sheet with the same header and an instructions sheet.
 */
async function schoolList(): Promise<Buffer> {
  const codes = personalCodes(6);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Skolēni');
  ws.addRow(['Skolēni bez datora, 2026./27. m. g.']);
  ws.mergeCells('A1:F1');
  ws.addRow([]);
  ws.addRow(['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce', 'Tālrunis', 'Valoda']);
  ws.addRow(['5.a', 'Anna', 'Bērziņa', codes[0], 'planšete', 26123456, 'latviešu']);
  ws.addRow([null, { richText: [{ text: 'Jā', font: { bold: true } }, { text: 'nis' }] }, 'Kalniņš', codes[1], 'dators', null, 'krievu']);
  ws.addRow([null, 'Ēriks', 'Ozols', codes[2], 'klēpjdators', '+371 29 000 000']);
  ws.mergeCells('A4:A6');
  ws.addRow(['6.b', 'Олег', 'Иванов', codes[3], 'ноутбук', 27000001, 'русский']);
  ws.addRow(['6.b', 'Līga', 'Šķēle', codes[4], 'tablet']);
  const old = wb.addWorksheet('Vecais');
  old.state = 'hidden';
  old.addRow(['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce']);
  old.addRow(['1.a', 'Vecs', 'Ieraksts', codes[5], 'dators']);
  const help = wb.addWorksheet('Instrukcija');
  help.addRow(['Aizpildiet katru rindu.']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// Rich text as every field reads it, plain: runs joined by the rewriting keep no fonts to compare.
const plainRich = (cells: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, v !== null && typeof v === 'object' && 'richText' in v ? cellText(v) : v]));

async function read(bytes: Buffer): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const ev of readImportRows({ format: 'xlsx', bytes } satisfies SourceFile, kindSpecs['device-needs'].fields, { maxRows: 100 })) {
    out.push(ev.type === 'header' ? { sheet: ev.sheet, row: ev.rowNumber, slashDates: ev.slashDates } : { row: ev.rowNumber, cells: plainRich(ev.cells) });
  }
  return out;
}

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let s = '';
  for await (const c of chunks) s += c;
  return s;
}

async function* oneCharAtATime(s: string): AsyncGenerator<string> {
  for (const ch of s) yield ch;
}

async function* oneChunkEach(chunks: string[]): AsyncGenerator<string> {
  yield* chunks;
}

async function* whole(s: string): AsyncGenerator<string> {
  yield s;
}

describe('workbooks written by other programs (namespace prefixes, rows without references, worksheet part names)', () => {
  let excel: Buffer;
  let asExcel: unknown[];
  before(async () => {
    excel = await schoolList();
    asExcel = await read(excel);
  });

  it('the list as Excel writes it reads as expected, with nothing to rewrite', async () => {
    expect(asExcel[0]).to.deep.equal({ sheet: 'Skolēni', row: 3, slashDates: null });
    expect(asExcel.slice(1).map((r) => (r as { row: number }).row)).to.deep.equal([4, 5, 6, 7, 8]);
    expect((asExcel[2] as { cells: Record<string, unknown> }).cells).to.include({ class: '5.a', lastName: 'Kalniņš' });
    expect((await openXlsx(excel, zipLimits)).dialects.size).to.equal(0);
  });

  const shapes: Array<[string, Reshaping]> = [
    ['elements with a namespace prefix (x:, ns0:), as the Open XML SDK and Python write them', { prefix: true }],
    ['rows and cells that leave out their references', { noReferences: true }],
    ['worksheet parts named sheet.xml with absolute targets, as ClosedXML and the Open XML SDK name them', { sheetPartNames: true }],
    ['every part indented, as .NET’s XDocument and Python’s indent write XML (a rich-text name read as “Jā nis”)', { indent: true }],
    ['all of them at once', { prefix: true, noReferences: true, sheetPartNames: true, indent: true }],
  ];
  for (const [what, how] of shapes) {
    it(`reads ${what} exactly as the Excel file`, async () => {
      const other = reshaped(excel, how);
      expect(other.equals(excel)).to.equal(false);
      expect(await read(other)).to.deep.equal(asExcel);
    });
  }

  it('reads a list starting at B3 whose first row and cell keep their references and the rest leave them out', async () => {
    // A margin column and two empty rows above, as many lists are laid out: written this way, the
    // references that remain are the first row's and each row's first cell's (column B).
    const codes = personalCodes(3);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Skolēni');
    const rows = [
      ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce'],
      ['5.a', 'Anna', 'Bērziņa', codes[0], 'planšete'],
      ['5.a', 'Jānis', 'Kalniņš', codes[1], 'dators'],
      ['6.b', 'Līga', 'Šķēle', codes[2], 'klēpjdators'],
    ];
    rows.forEach((values, r) => values.forEach((v, c) => (ws.getCell(3 + r, 2 + c).value = v)));
    const excelB3 = Buffer.from(await wb.xlsx.writeBuffer());
    const other = reshaped(excelB3, { noReferences: true });
    const sheet = unzipEntries(other).find((e) => e.name === 'xl/worksheets/sheet1.xml')!.data.toString('utf8');
    expect(sheet).to.match(/<sheetData><row r="3"[^>]*><c r="B3"/u);
    expect(sheet.match(/<row(?![^>]*\br=")[^>]*>/gu), 'rows without a reference').to.have.length(3);
    expect(sheet.match(/<c(?![^>]*\br=")[\s>]/gu), 'cells without a reference').to.have.length(16);
    const read1 = await read(excelB3);
    expect(read1[0]).to.include({ row: 3 });
    expect(read1).to.have.length(4);
    // exceljs alone failed on the first cell without a reference (C3): the file was refused as unreadable.
    expect(await read(other)).to.deep.equal(read1);
  });

  it('the reshaped file really is written the other way (the helper changes what it says)', () => {
    const entries = unzipEntries(reshaped(excel, { prefix: true, noReferences: true, sheetPartNames: true }));
    const names = entries.map((e) => e.name);
    expect(names).to.include('xl/worksheets/sheet.xml');
    expect(names).not.to.include('xl/worksheets/sheet1.xml');
    const sheet = entries.find((e) => e.name === 'xl/worksheets/sheet.xml')!.data.toString('utf8');
    expect(sheet).to.match(/<x:worksheet xmlns:x="/u);
    expect(sheet).not.to.match(/<row|<c /u);
    // Rows after the blank one follow on without references; the one after the gap keeps its own.
    expect(sheet.match(/<x:row(?![^>]*\br=")[^>]*>/gu)!.length).to.equal(6);
    expect(sheet.match(/<x:c[ >]/gu)!.length).to.be.greaterThan(30);
    // A cell after one left empty keeps its reference, as it must.
    expect(sheet).to.match(/<x:c r="G5"/u);
    expect(entries.find((e) => e.name === 'xl/_rels/workbook.xml.rels')!.data.toString('utf8')).to.include('<ns0:Relationship ');
  });

  it('joins the runs of indented shared strings, and only of those', async () => {
    const strings = (bytes: Buffer) => unzipEntries(bytes).find((e) => e.name === 'xl/sharedStrings.xml')!.data.toString('utf8');
    const indented = reshaped(excel, { indent: true });
    expect(strings(indented)).to.include('<t>Jā</t>\n    </r>\n    <r>');
    const file = await openXlsx(indented, zipLimits);
    expect(file.dialects.get('xl/sharedStrings.xml')).to.deep.equal({ prefix: null, addresses: false, isoDates: false, runs: 'si' });
    // Indented worksheets read as they are: what follows a value's end is not added to any text that counts.
    expect(file.dialects.get('xl/worksheets/sheet1.xml')).to.equal(undefined);
  });

  it('rewrites only the parts that need it, and tells the reader by the names it reads them under', async () => {
    const file = await openXlsx(reshaped(excel, { prefix: true, noReferences: true, sheetPartNames: true }), zipLimits);
    expect(file.sheets.map((s) => [s.part, s.name, s.hidden])).to.deep.equal([
      ['xl/worksheets/sheet.xml', 'Skolēni', false],
      ['xl/worksheets/sheet2.xml', 'Vecais', true],
      ['xl/worksheets/sheet3.xml', 'Instrukcija', false],
    ]);
    // sheet.xml reaches the reader as sheet4.xml, the first free number; the hidden sheet is not read at all.
    expect(Object.fromEntries(file.dialects)).to.deep.equal({
      'xl/_rels/workbook.xml.rels': { prefix: 'ns0', addresses: false, isoDates: false, runs: null },
      'xl/workbook.xml': { prefix: 'x', addresses: false, isoDates: false, runs: null },
      'xl/sharedStrings.xml': { prefix: 'x', addresses: false, isoDates: false, runs: null },
      'xl/styles.xml': { prefix: 'x', addresses: false, isoDates: false, runs: null },
      'xl/worksheets/sheet3.xml': { prefix: 'x', addresses: true, isoDates: false, runs: null },
      'xl/worksheets/sheet4.xml': { prefix: 'x', addresses: true, isoDates: false, runs: null },
    });
  });

  it('a prefix bound to another namespace is left alone', async () => {
    const entries = unzipEntries(excel).map((e) =>
      e.name === 'xl/styles.xml' ? { ...e, data: Buffer.from(e.data.toString('utf8').replace(/<styleSheet /u, '<styleSheet xmlns:o="urn:other" ')) } : e,
    );
    const probeOf = (xml: string) => unzipEntries(makeZip([...entries, { name: 'xl/worksheets/sheet9.xml', data: Buffer.from(xml) }]));
    const file = await openXlsx(makeZip(probeOf('<o:worksheet xmlns:o="urn:other"><o:sheetData/></o:worksheet>')), zipLimits);
    expect(file.dialects.get('xl/worksheets/sheet9.xml')).to.equal(undefined);
  });

  it('a chart sheet in the sheet list is not taken for a worksheet', async () => {
    const entries = unzipEntries(excel).map((e) => {
      if (e.name === 'xl/workbook.xml') return { ...e, data: Buffer.from(e.data.toString('utf8').replace('<sheets>', '<sheets><sheet name="Diagramma" sheetId="9" r:id="rIdChart"/>')) };
      if (e.name === 'xl/_rels/workbook.xml.rels') {
        const chart = '<Relationship Id="rIdChart" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/>';
        return { ...e, data: Buffer.from(e.data.toString('utf8').replace('</Relationships>', `${chart}</Relationships>`)) };
      }
      return e;
    });
    const withChart = makeZip([...entries, { name: 'xl/chartsheets/sheet1.xml', data: Buffer.from('<chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>') }]);
    expect((await openXlsx(withChart, zipLimits)).sheets.map((s) => s.name)).to.deep.equal(['Skolēni', 'Vecais', 'Instrukcija']);
    expect(await read(withChart)).to.deep.equal(asExcel);
  });

  it('reads a list saved as “Strict Open XML Spreadsheet”, its dates kept as ISO text, as the same days', async () => {
    const codes = personalCodes(3);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Statusi');
    ws.addRow(['Personas kods', 'Vārds', 'Uzvārds', 'Statuss', 'Derīgs no', 'Derīgs līdz']);
    const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
    ws.addRow([codes[0], 'Anna', 'Bērziņa', 'trūcīga', day('2026-09-01'), day('2027-02-28')]);
    ws.addRow([codes[1], 'Jānis', 'Kalniņš', 'maznodrošināta', day('2026-10-15'), day('2026-12-31')]);
    ws.addRow([codes[2], 'Олег', 'Иванов', 'малоимущая', '01.11.2026', day('2027-04-30')]);
    for (const col of ['E', 'F']) ws.getColumn(col).numFmt = 'dd.mm.yyyy';
    const excelFile = Buffer.from(await wb.xlsx.writeBuffer());
    const strict = reshaped(excelFile, { strict: { dateColumns: ['E', 'F'] } });
    const sheet = unzipEntries(strict).find((e) => e.name === 'xl/worksheets/sheet1.xml')!.data.toString('utf8');
    expect(sheet).to.include('<worksheet xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"');
    expect(sheet.match(/t="d"><v>20\d\d-\d\d-\d\dT00:00:00<\/v>/gu)).to.have.length(5);

    const days = async (bytes: Buffer) => {
      const out: string[] = [];
      const parse = rowParser(foodEntitlements, { date1904: false, today: '2026-11-25' });
      for await (const ev of readImportRows({ format: 'xlsx', bytes }, foodEntitlements.fields, { maxRows: 10 })) {
        if (ev.type !== 'row') continue;
        const parsed = parse(ev.cells);
        if (!parsed.ok) throw new Error(`row ${ev.rowNumber}: ${JSON.stringify(parsed.errors)}`);
        out.push(`${parsed.record.validFrom}..${parsed.record.validTo}`);
      }
      return out;
    };
    const expected = ['2026-09-01..2027-02-28', '2026-10-15..2026-12-31', '2026-11-01..2027-04-30'];
    expect(await days(excelFile)).to.deep.equal(expected);
    expect(await days(strict)).to.deep.equal(expected);
    expect((await openXlsx(strict, zipLimits)).dialects.get('xl/worksheets/sheet1.xml')).to.deep.equal({ prefix: null, addresses: false, isoDates: true, runs: null });
  });

  describe('text kept in the cell in runs of several fonts', () => {
    const codes = personalCodes(4);
    const header = ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce'];
    const bold = { bold: true };
    // Part-bold names, as a secretary marks a surname's changed letters; runs cut inside words.
    const runs = (...texts: string[]) => ({ richText: texts.map((text, i) => (i % 2 ? { text, font: bold } : { text })) });
    const names = [
      ['Jānis', 'Kalniņš-Ozols', ['Jā', 'nis'], ['Kalniņš', '-', 'Ozols']],
      ['Олег', 'Иванов & Ко', ['О', 'лег'], ['Иванов ', '&', ' Ко']],
      ['Līga', 'Šķēle <Ozola>', ['L', 'ī', 'ga'], ['Šķēle ', '<Ozola>']],
      ['Anna', 'Bērziņa', ['Anna'], ['Bērziņa']],
    ] as const;
    const list = (rich: boolean) =>
      streamedWorkbook([
        { name: 'Skolēni', rows: [header, ...names.map(([first, last, firstRuns, lastRuns], i) => ['5.a', rich ? runs(...firstRuns) : first, rich ? runs(...lastRuns) : last, codes[i], 'dators'])] },
      ]);
    const cellsOf = async (bytes: Buffer) => ((await read(bytes)).slice(1) as Array<{ cells: Record<string, unknown> }>).map((r) => [r.cells.firstName, r.cells.lastName]);

    it('reads each name whole, as written (exceljs kept only the last run: "Jānis" read as "nis")', async () => {
      const rich = await list(true);
      const sheet = unzipEntries(rich).find((e) => e.name === 'xl/worksheets/sheet1.xml')!.data.toString('utf8');
      expect(sheet).to.include('<is><r><t>Jā</t></r><r><rPr><b/></rPr><t>nis</t></r></is>');
      expect(await cellsOf(rich)).to.deep.equal(names.map(([first, last]) => [first, last]));
      expect((await openXlsx(rich, zipLimits)).dialects.get('xl/worksheets/sheet1.xml')).to.deep.equal({ prefix: null, addresses: false, isoDates: false, runs: 'is' });
    });

    it('leaves inline text without runs as it came, and reads runs with prefixes and without references as well', async () => {
      const plain = await list(false);
      expect((await openXlsx(plain, zipLimits)).dialects.size).to.equal(0);
      const expected = names.map(([first, last]) => [first, last]);
      expect(await cellsOf(plain)).to.deep.equal(expected);
      expect(await cellsOf(reshaped(await list(true), { prefix: true, noReferences: true }))).to.deep.equal(expected);
    });

    it('keeps only what the runs hold: not the indenting between them, not a phonetic reading', async () => {
      const d: PartDialect = { prefix: null, addresses: false, isoDates: false, runs: 'is' };
      const sheet =
        '<worksheet><sheetData><row r="1">\n' +
        '  <c r="A1" t="inlineStr">\n    <is>\n      <r>\n        <rPr><b/><sz val="11"/></rPr>\n        <t xml:space="preserve">Jā</t>\n      </r>\n' +
        '      <r><t>nis &amp; </t></r><r><t/></r><r><t>Co</t></r>\n      <rPh sb="0" eb="1"><t>ヤ</t></rPh>\n    </is>\n  </c>\n' +
        '  <c r="B1" t="inlineStr"><is><t>Ozols</t></is></c><c r="C1" t="inlineStr"><is/></c><c r="D1" t="inlineStr"><is></is></c><c r="E1" t="s"><v>3</v></c>\n' +
        '</row></sheetData></worksheet>';
      const expected =
        '<worksheet><sheetData><row r="1">\n' +
        '  <c r="A1" t="inlineStr">\n    <is><t xml:space="preserve">Jānis &amp; Co</t></is>\n  </c>\n' +
        '  <c r="B1" t="inlineStr"><is><t xml:space="preserve">Ozols</t></is></c><c r="C1" t="inlineStr"><is/></c><c r="D1" t="inlineStr"><is></is></c><c r="E1" t="s"><v>3</v></c>\n' +
        '</row></sheetData></worksheet>';
      expect(await collect(rewritten(whole(sheet), d))).to.equal(expected);
      expect(await collect(rewritten(oneCharAtATime(sheet), d))).to.equal(expected);
    });
  });

  describe('the rewriting itself, wherever a chunk ends', () => {
    const both: PartDialect = { prefix: 'x', addresses: true, isoDates: true, runs: null };
    const sheet =
      '<?xml version="1.0"?><x:worksheet xmlns:x="urn:s" xmlns:x14ac="urn:e"><x:sheetData>' +
      '<x:row x14ac:dyDescent="0.25"><x:c t="s"><x:v>0</x:v></x:c><x:c/><x:c r="E1" s="1"><x:v>5</x:v></x:c><x:c><x:v>6</x:v></x:c></x:row>' +
      '<x:row r="7"><x:c><x:is><x:t>a&lt;x:b</x:t></x:is></x:c></x:row><x:row/><x:row spans="1:2"><x:c t="b"><x:v>1</x:v></x:c></x:row>' +
      "<x:row><x:c s='3' t='d'><x:v>2020-09-01T00:00:00</x:v></x:c><x:c t=\"d\"><x:f>TODAY()</x:f><x:v>2026-11-25</x:v></x:c></x:row>" +
      '</x:sheetData><x:mergeCells count="0"/></x:worksheet>';
    const expected =
      '<?xml version="1.0"?><worksheet xmlns:x="urn:s" xmlns:x14ac="urn:e"><sheetData>' +
      '<row r="1" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c><c r="B1"/><c r="E1" s="1"><v>5</v></c><c r="F1"><v>6</v></c></row>' +
      '<row r="7"><c r="A7"><is><t>a&lt;x:b</t></is></c></row><row r="8"/><row r="9" spans="1:2"><c r="A9" t="b"><v>1</v></c></row>' +
      '<row r="10"><c r="A10" s=\'3\' t="str"><v>2020-09-01T00:00:00</v></c><c r="B10" t="str"><f>TODAY()</f><v>2026-11-25</v></c></row>' +
      '</sheetData><mergeCells count="0"/></worksheet>';

    it('gives the same text whether the part comes whole or one character at a time', async () => {
      expect(await collect(rewritten(whole(sheet), both))).to.equal(expected);
      expect(await collect(rewritten(oneCharAtATime(sheet), both))).to.equal(expected);
    });

    it('passes a part that needs nothing through as it came', async () => {
      const chunks = ['<worksheet><sheetData><row r="1"><c r="A1"', '><v>1</v></c></row></sheetData></worksheet>'];
      const out: string[] = [];
      for await (const c of rewritten(oneChunkEach(chunks), { prefix: null, addresses: false, isoDates: false, runs: null })) out.push(c);
      expect(out).to.deep.equal(chunks);
    });
  });
});
