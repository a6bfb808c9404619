import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { readImportRows, type SourceFile } from '../../../imports/readWorkbook.ts';
import { rowParser } from '../../../imports/kinds/parseRow.ts';
import { deviceNeeds } from '../../../imports/kinds/deviceNeeds.ts';
import { makeZip, unzipEntries } from '../../support/zip.ts';
import { personalCodes } from '../../support/personalCodes.ts';
import { streamedWorkbook } from '../../support/streamedWorkbook.ts';

// Excel keeps a carriage return in a cell as `_x000D_` and the underscore of a text that reads like
// such an escape as `_x005F_`. The lists are written with markers that become those escapes in the
// saved XML, as Excel writes them.
const CR = '{CR}';
const LITERAL = '{LIT}';
const codes = personalCodes(3);
const header = ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce', 'Aizbildnis'];
const rows: ExcelJS.CellValue[][] = [
  header,
  // A code and a name pasted from Windows text, each with its line end.
  ['5.a', `Jānis${CR}\n`, 'Kalniņš', `${codes[0]}${CR}\n`, 'dators', null],
  // Two lines in one cell, in rich text; a guardian whose name reads like an escape.
  ['5.a', { richText: [{ text: `Anna${CR}\n`, font: { bold: true } }, { text: 'Marija' }] }, 'Bērziņa', codes[1], 'planšete', `${LITERAL}x0041_ Ozola`],
  ['6.b', 'Олег', { formula: 'UPPER("x")', result: `Иванов${CR}\n` }, codes[2], 'ноутбук', null],
];

function asExcelWrites(xlsx: Buffer): Buffer {
  return makeZip(
    unzipEntries(xlsx).map((e) =>
      /^xl\/(sharedStrings|worksheets\/sheet\d+)\.xml$/u.test(e.name)
        ? { ...e, data: Buffer.from(e.data.toString('utf8').replaceAll(CR, '_x000D_').replaceAll(LITERAL, '_x005F_')) }
        : e,
    ),
  );
}

async function parsed(bytes: Buffer, format: SourceFile['format'] = 'xlsx'): Promise<unknown[]> {
  const parse = rowParser(deviceNeeds, { date1904: false, today: '2026-11-25' });
  const out: unknown[] = [];
  for await (const ev of readImportRows({ format, bytes }, deviceNeeds.fields, { maxRows: 10 })) {
    if (ev.type !== 'row') continue;
    const r = parse(ev.cells);
    out.push(r.ok ? [r.record.firstName, r.record.lastName, r.record.personalCode.code, r.record.guardianName] : r.errors);
  }
  return out;
}

describe('text escaped the way .xlsx keeps it (_x000D_)', () => {
  const expected = [
    ['Jānis', 'Kalniņš', codes[0], null],
    ['Anna Marija', 'Bērziņa', codes[1], '_x0041_ Ozola'],
    ['Олег', 'Иванов', codes[2], null],
  ];

  it('reads a code and names pasted with their line ends as typed, from shared strings and formula results', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Skolēni');
    for (const row of rows) ws.addRow(row);
    const bytes = asExcelWrites(Buffer.from(await wb.xlsx.writeBuffer()));
    const strings = unzipEntries(bytes).find((e) => e.name === 'xl/sharedStrings.xml')!.data.toString('utf8');
    expect(strings).to.include(`${codes[0]}_x000D_\n`);
    expect(strings).to.include('_x005F_x0041_ Ozola');
    expect(await parsed(bytes)).to.deep.equal(expected);
  });

  it('reads text kept in the cell itself alike', async () => {
    const bytes = asExcelWrites(await streamedWorkbook([{ name: 'Skolēni', rows }]));
    expect(unzipEntries(bytes).find((e) => e.name === 'xl/worksheets/sheet1.xml')!.data.toString('utf8')).to.include('_x000D_');
    expect(await parsed(bytes)).to.deep.equal(expected);
  });

  it('leaves such text in a .csv as typed: there it is no escape', async () => {
    const csv = Buffer.from(`Klase;Vārds;Uzvārds;Personas kods;Ierīce;Aizbildnis\r\n5.a;Jānis_x000D_;Kalniņš;${codes[0]};dators;_x0041_\r\n`);
    expect(await parsed(csv, 'csv')).to.deep.equal([['Jānis_x000D_', 'Kalniņš', codes[0], '_x0041_']]);
  });
});
