import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { readImportRows, type SourceFile } from '../../../imports/readWorkbook.ts';
import { kindSpecs } from '../../../imports/kinds/index.ts';
import { streamedWorkbook } from '../../support/streamedWorkbook.ts';

const header = ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce'];
// Names made almost only of letters of two and three bytes, so that the 16 KiB chunks the
// workbook's parts are inflated in end inside a letter many times over: with exceljs' own decoding,
// 23 of these rows came back broken from shared strings and one from inline text.
const rows = 8000;
const firstName = (i: number) => `Ēriks${'ĀŠŽČĢĶĻŅ'.repeat(3)}${i}`;
const lastName = (i: number) => `Иванов${'ЖЩЮЯ€'.repeat(3)}${i}`;
const row = (i: number) => ['5.a', firstName(i), lastName(i), '010101-10000', 'planšete'];

/** Shared strings, as Excel saves them. */
async function sharedStrings(): Promise<SourceFile> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Skolēni');
  ws.addRow(header);
  for (let i = 0; i < rows; i++) ws.addRow(row(i));
  return { format: 'xlsx', bytes: Buffer.from(await wb.xlsx.writeBuffer()) };
}

/** Text inline in the sheet, as other programs save it. */
async function inlineStrings(): Promise<SourceFile> {
  const sheetRows = [header, ...Array.from({ length: rows }, (_, i) => row(i))];
  return { format: 'xlsx', bytes: await streamedWorkbook([{ name: 'Skolēni', rows: sheetRows }]) };
}

async function names(file: SourceFile): Promise<string[]> {
  const out: string[] = [];
  for await (const ev of readImportRows(file, kindSpecs['device-needs'].fields, { maxRows: rows })) {
    if (ev.type === 'row') out.push(`${ev.cells.firstName} ${ev.cells.lastName}`);
  }
  return out;
}

describe('letters of several bytes in a large workbook', () => {
  const expected = Array.from({ length: rows }, (_, i) => `${firstName(i)} ${lastName(i)}`);

  it('read whole from shared strings, wherever a chunk of the inflated part ends', async () => {
    const read = await names(await sharedStrings());
    expect(read.filter((n) => n.includes('\uFFFD'))).to.deep.equal([]);
    expect(read).to.deep.equal(expected);
  });

  it('read whole from text inline in the sheet', async () => {
    const read = await names(await inlineStrings());
    expect(read.filter((n) => n.includes('\uFFFD'))).to.deep.equal([]);
    expect(read).to.deep.equal(expected);
  });
});
