import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { isInstructionsSheet, readImportRows, SpreadsheetError, type HeaderEvent, type RowEvent } from '../../../imports/readWorkbook.ts';
import { deviceNeeds } from '../../../imports/kinds/deviceNeeds.ts';

const header = ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce'];

async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A sheet holding the header and the given rows. */
function list(wb: ExcelJS.Workbook, name: string, rows: unknown[][]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name);
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return ws;
}

async function readAll(bytes: Buffer): Promise<{ header: HeaderEvent; rows: RowEvent[] }> {
  let found: HeaderEvent | null = null;
  const rows: RowEvent[] = [];
  for await (const ev of readImportRows({ format: 'xlsx', bytes }, deviceNeeds.fields, { maxRows: 100 })) {
    if (ev.type === 'header') found = ev;
    else rows.push(ev);
  }
  expect(found, 'a header').to.not.equal(null);
  return { header: found!, rows };
}

async function failure(bytes: Buffer): Promise<SpreadsheetError> {
  try {
    await readAll(bytes);
  } catch (err) {
    if (err instanceof SpreadsheetError) return err;
    throw err;
  }
  throw new Error('read without a failure');
}

const anna = ['5.a', 'Anna', 'Bērziņa', '020307-20404', 'Planšete'];
const janis = ['6.b', 'Jānis', 'Ozols', '020307-20404', 'dators'];

describe('choosing the data sheet', () => {
  for (const state of ['hidden', 'veryHidden'] as const) {
    it(`never reads a ${state} sheet, even an old copy of the list before the visible one`, async () => {
      const bytes = await workbook((wb) => {
        list(wb, 'Vecais saraksts', [janis]).state = state;
        list(wb, 'Saraksts', [anna]);
      });
      const { header, rows } = await readAll(bytes);
      expect(header.sheet).to.equal('Saraksts');
      expect(rows.map((r) => r.cells.firstName)).to.deep.equal(['Anna']);
    });
  }

  it('fails with no header when the only list is on a hidden sheet', async () => {
    const bytes = await workbook((wb) => {
      list(wb, 'Dati', [anna]).state = 'hidden';
      wb.addWorksheet('Tukša').addRow(['Nekas']);
    });
    expect((await failure(bytes)).code).to.equal('no_header');
  });

  it('reads the data sheet after an instructions sheet holding an example header and row', async () => {
    const bytes = await workbook((wb) => {
      const info = wb.addWorksheet('Instrukcija');
      info.addRow(['Kā aizpildīt sarakstu']);
      info.addRow(['Aizpildiet lapu "Dati". Paraugs:']);
      info.addRow(header);
      info.addRow(['1.a', 'Vārds', 'Uzvārds', 'ddmmgg-xxxxx', 'Planšete vai dators']);
      list(wb, 'Dati', [anna, janis]);
    });
    const { header: found, rows } = await readAll(bytes);
    expect(found.sheet).to.equal('Dati');
    expect(found.rowNumber).to.equal(1);
    expect(rows.map((r) => r.cells.firstName)).to.deep.equal(['Anna', 'Jānis']);
  });

  for (const name of ['Instrukcijas', 'NORĀDĪJUMI', 'Paskaidrojumi', 'Instructions', 'Инструкция', 'Пояснения', 'norades']) {
    it(`takes a sheet named "${name}" as instructions`, async () => {
      const bytes = await workbook((wb) => {
        list(wb, name, [janis]);
        list(wb, 'Skolēni', [anna]);
      });
      expect((await readAll(bytes)).header.sheet).to.equal('Skolēni');
    });
  }

  it('falls back to an instructions sheet when no other sheet has a header', async () => {
    const bytes = await workbook((wb) => {
      list(wb, 'Instrukcija', [anna]);
      wb.addWorksheet('Piezīmes').addRow(['Saraksts tiks papildināts']);
    });
    const { header: found, rows } = await readAll(bytes);
    expect(found.sheet).to.equal('Instrukcija');
    expect(rows.map((r) => r.cells.firstName)).to.deep.equal(['Anna']);
  });

  it('reports the missing column of the data sheet rather than importing the example of the instructions', async () => {
    const bytes = await workbook((wb) => {
      list(wb, 'Instrukcija', [['1.a', 'Vārds', 'Uzvārds', 'ddmmgg-xxxxx', 'Planšete']]);
      const data = wb.addWorksheet('Dati');
      data.addRow(['Klase', 'Vārds', 'Uzvārds', 'Ierīce']);
      data.addRow(['5.a', 'Anna', 'Bērziņa', 'Planšete']);
    });
    const err = await failure(bytes);
    expect(err.code).to.equal('missing_columns');
    expect(err.params.columns).to.equal('personalCode');
  });
});

describe('instructions sheets by name', () => {
  it('knows instructions and examples in Latvian, Russian and English, whatever the case and diacritics', () => {
    for (const name of ['Instrukcija', 'Instrukcijas', 'instrukcija 2021', 'Norādījumi', 'noradijumi', 'Paskaidrojumi', 'Kā aizpildīt', 'Paraugs', 'Piemērs', 'Instructions', 'How to fill in', 'README', 'Example', 'Инструкция', 'ИНСТРУКЦИЯ', 'Пояснения', 'Указания', 'Как заполнить', 'Образец']) {
      expect(isInstructionsSheet(name), name).to.equal(true);
    }
  });

  it('takes a list’s own names for data', () => {
    for (const name of ['Dati', 'Saraksts', '5.a klase', 'Skolēni', 'Statusi', 'Sheet1', 'Data', 'Данные', 'Список', 'Pieteikumi']) {
      expect(isInstructionsSheet(name), name).to.equal(false);
    }
  });
});
