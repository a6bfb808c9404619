import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { readImportRows } from '../../../imports/readWorkbook.ts';
import { notingHiddenRows } from '../../../imports/workbookReader.ts';
import { kindSpecs } from '../../../imports/kinds/index.ts';
import { personalCodes } from '../../support/personalCodes.ts';
import { reshaped } from '../../support/xmlDialects.ts';

const header = ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce'];

/** A list of `count` pupils under a title, with the given rows (Excel's numbers) hidden, as a filter hides them. */
async function list(count: number, hidden: (rowNumber: number) => boolean): Promise<Buffer> {
  const codes = personalCodes(count);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Skolēni');
  ws.addRow(['Skolēni bez datora']);
  ws.addRow(header);
  for (let i = 0; i < count; i++) ws.addRow([i % 2 ? '5.a' : '5.b', `Vārds${i}`, `Uzvārds${i}`, codes[i], 'dators']);
  ws.autoFilter = `A2:E${count + 2}`;
  ws.eachRow((row, n) => {
    if (hidden(n)) row.hidden = true;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function read(bytes: Buffer): Promise<{ rows: number[]; noted: number[]; notes: unknown[] }> {
  const rows: number[] = [];
  const noted: number[] = [];
  const notes: unknown[] = [];
  for await (const ev of readImportRows({ format: 'xlsx', bytes }, kindSpecs['device-needs'].fields, { maxRows: 10_000 })) {
    if (ev.type !== 'row') continue;
    rows.push(ev.rowNumber);
    if (ev.notes?.length) {
      noted.push(ev.rowNumber);
      notes.push(...ev.notes);
    }
  }
  return { rows, noted, notes };
}

describe('rows hidden in a workbook (by hand or by a filter)', () => {
  it('are read like the others, each with a warning that it is hidden', async () => {
    const { rows, noted, notes } = await read(await list(6, (n) => n === 4 || n === 7));
    expect(rows).to.deep.equal([3, 4, 5, 6, 7, 8]);
    expect(noted).to.deep.equal([4, 7]);
    expect(notes).to.deep.equal([
      { field: null, code: 'hidden_row', severity: 'warning' },
      { field: null, code: 'hidden_row', severity: 'warning' },
    ]);
  });

  it('are told apart in a long list, wherever the chunks the sheet is read in end', async () => {
    const hidden = (n: number) => n > 2 && n % 7 === 0;
    const expected = Array.from({ length: 5000 }, (_, i) => i + 3).filter(hidden);
    const bytes = await list(5000, hidden);
    const plain = await read(bytes);
    expect(plain.rows).to.have.length(5000);
    expect(plain.noted).to.deep.equal(expected);
    // Written the Open XML SDK's way, with rows whose references are implied.
    expect((await read(reshaped(bytes, { prefix: true, noReferences: true }))).noted).to.deep.equal(expected);
  });

  it('a list with nothing hidden has no such warning', async () => {
    expect((await read(await list(20, () => false))).noted).to.deep.equal([]);
  });

  it('are noted from the sheet’s text however it is cut, and the text passes on unchanged', async () => {
    const sheet =
      '<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2" hidden="1" spans="1:5"><c r="A2" t="inlineStr"><is><t>hidden</t></is></c></row>' +
      "<row spans='1:2' r='3' hidden='true'/><row r=\"4\" hidden=\"0\"/><row r=\"5\" customHeight=\"1\"\n hidden = \"1\"/></sheetData><cols><col hidden=\"1\"/></cols>";
    for (const cut of [sheet.length, 1, 7]) {
      const hidden = new Set<number>();
      const chunks = async function* () {
        for (let i = 0; i < sheet.length; i += cut) yield sheet.slice(i, i + cut);
      };
      let out = '';
      for await (const c of notingHiddenRows(chunks(), hidden)) out += c;
      expect(out).to.equal(sheet);
      expect([...hidden]).to.deep.equal([2, 3, 5]);
    }
  });
});
