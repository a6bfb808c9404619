import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { readImportRows, SpreadsheetError, type HeaderEvent, type RowEvent, type SourceFile } from '../../../imports/readWorkbook.ts';
import { kindSpecs, type ImportKind } from '../../../imports/kinds/index.ts';

const header = ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce'];

async function xlsx(build: (ws: ExcelJS.Worksheet) => void): Promise<SourceFile> {
  const wb = new ExcelJS.Workbook();
  build(wb.addWorksheet('Dati'));
  return { format: 'xlsx', bytes: Buffer.from(await wb.xlsx.writeBuffer()) };
}

const csv = (lines: string[]): SourceFile => ({ format: 'csv', bytes: Buffer.from(lines.join('\r\n'), 'utf8') });

async function readAll(file: SourceFile, kind: ImportKind = 'device-needs', maxRows = 100): Promise<{ header: HeaderEvent; rows: RowEvent[] }> {
  let found: HeaderEvent | null = null;
  const rows: RowEvent[] = [];
  for await (const ev of readImportRows(file, kindSpecs[kind].fields, { maxRows })) {
    if (ev.type === 'header') found = ev;
    else rows.push(ev);
  }
  return { header: found!, rows };
}

const summary = (rows: RowEvent[], ...keys: string[]) => rows.map((r) => [r.rowNumber, ...keys.map((k) => r.cells[k] ?? null)]);

describe('sheet layouts: merged cells', () => {
  it('gives every row of a class merged down over its pupils that class', async () => {
    const file = await xlsx((ws) => {
      ws.addRow(header);
      ws.addRow(['5.a', 'Anna', 'Bērziņa', '020307-20404', 'Planšete']);
      ws.addRow([null, 'Jānis', 'Ozols', '020307-20404', 'dators']);
      ws.addRow([null, 'Pēteris', 'Liepa', '020307-20404', 'dators']);
      ws.addRow(['5.b', 'Ilze', 'Kalna', '020307-20404', 'dators']);
      ws.mergeCells('A2:A4');
    });
    const { rows } = await readAll(file);
    expect(summary(rows, 'class', 'firstName')).to.deep.equal([
      [2, '5.a', 'Anna'],
      [3, '5.a', 'Jānis'],
      [4, '5.a', 'Pēteris'],
      [5, '5.b', 'Ilze'],
    ]);
    expect(rows[1]!.values[1]).to.equal('5.a');
  });

  it('fills a block merged down in any field’s column, and only in data rows', async () => {
    const file = await xlsx((ws) => {
      ws.addRow(['Skolēnu saraksts']);
      ws.addRow(header);
      ws.addRow(['5.a', 'Anna', 'Bērziņa', '020307-20404', 'Planšete']);
      ws.addRow(['5.a', 'Jānis', 'Ozols', '020307-20404', null]);
      ws.addRow(['5.a', 'Pēteris', 'Liepa', '020307-20404', null]);
      // A title merged over the header's columns and down to the header gives the data nothing.
      ws.mergeCells('A1:E1');
      ws.mergeCells('E3:E5');
    });
    const { header: found, rows } = await readAll(file);
    expect(found.rowNumber).to.equal(2);
    expect(summary(rows, 'firstName', 'deviceType')).to.deep.equal([
      [3, 'Anna', 'Planšete'],
      [4, 'Jānis', 'Planšete'],
      [5, 'Pēteris', 'Planšete'],
    ]);
  });

  it('gives every cell of a block merged across columns its value', async () => {
    const file = await xlsx((ws) => {
      ws.addRow([...header, 'Tālrunis', 'Vecāka tālrunis']);
      ws.addRow(['5.a', 'Anna', 'Bērziņa', '020307-20404', 'Planšete', 26123456, null]);
      ws.mergeCells('F2:G2');
    });
    const { rows } = await readAll(file);
    expect(rows[0]!.values.slice(6, 8)).to.deep.equal([26123456, 26123456]);
  });

  it('does not carry a header cell merged down into the data', async () => {
    const file = await xlsx((ws) => {
      ws.addRow([...header, 'Tālrunis']);
      ws.addRow(['5.a', 'Anna', 'Bērziņa', '020307-20404', 'Planšete', null]);
      ws.addRow(['5.a', 'Jānis', 'Ozols', '020307-20404', 'dators', null]);
      ws.mergeCells('F1:F3');
    });
    const { rows } = await readAll(file);
    expect(rows.map((r) => r.cells.guardianPhone ?? null)).to.deep.equal([null, null]);
  });

  it('skips a row whose only value comes from a block merged down from the row above', async () => {
    const file = await xlsx((ws) => {
      ws.addRow(header);
      ws.addRow(['5.a', 'Anna', 'Bērziņa', '020307-20404', 'Planšete']);
      ws.addRow([null, null, null, null, null]);
      ws.mergeCells('A2:A3');
    });
    expect(summary((await readAll(file)).rows, 'class')).to.deep.equal([[2, '5.a']]);
  });
});

describe('sheet layouts: two-row headers', () => {
  it('reads a group title over the columns below it as one header, and the row below as no data', async () => {
    const file = await xlsx((ws) => {
      ws.addRow([...header, 'Vecāka kontakti', null]);
      ws.addRow([null, null, null, null, null, 'Tālrunis', 'E-pasts']);
      for (const c of ['A', 'B', 'C', 'D', 'E']) ws.mergeCells(`${c}1:${c}2`);
      ws.mergeCells('F1:G1');
      ws.addRow(['5.a', 'Anna', 'Bērziņa', '020307-20404', 'Planšete', 26123456, 'a@b.lv']);
    });
    const { header: found, rows } = await readAll(file);
    expect(found.rowNumber).to.equal(1);
    expect(found.match.columns.guardianPhone).to.deep.equal({ index: 6, header: 'Tālrunis' });
    expect(found.match.columns.guardianEmail).to.deep.equal({ index: 7, header: 'E-pasts' });
    expect(found.unusedColumns).to.deep.equal([]);
    expect(summary(rows, 'firstName', 'guardianPhone', 'guardianEmail')).to.deep.equal([[3, 'Anna', 26123456, 'a@b.lv']]);
  });

  it('reads a group title centred over its columns without merging them, in a .csv too', async () => {
    const lines = ['Klase;Vārds;Uzvārds;Personas kods;Ierīce;Vecāka kontakti;', ';;;;;Tālrunis;E-pasts', '5.a;Anna;Bērziņa;020307-20404;Planšete;26123456;a@b.lv'];
    const { header: found, rows } = await readAll(csv(lines));
    expect(Object.keys(found.match.columns)).to.include.members(['guardianPhone', 'guardianEmail']);
    expect(summary(rows, 'guardianEmail')).to.deep.equal([[3, 'a@b.lv']]);
  });

  it('completes a header that lacks required columns with the names under a group title: "Derīgs" over "no | līdz"', async () => {
    const file = await xlsx((ws) => {
      ws.addRow(['No.', 'Personas kods', 'Vārds', 'Uzvārds', 'Statuss', 'Derīgs', null]);
      ws.addRow([null, null, null, null, null, 'no', 'līdz']);
      ws.mergeCells('F1:G1');
      ws.addRow([1, '020307-20404', 'Anna', 'Bērziņa', 'trūcīga', '01.09.2020', '31.12.2020']);
    });
    const { header: found, rows } = await readAll(file, 'food-entitlements');
    expect(found.match.missingRequired).to.deep.equal([]);
    expect(found.match.columns.validFrom).to.deep.equal({ index: 6, header: 'no' });
    expect(found.match.columns.validTo).to.deep.equal({ index: 7, header: 'līdz' });
    expect(found.unusedColumns).to.deep.equal(['No.']);
    expect(summary(rows, 'validFrom', 'validTo')).to.deep.equal([[3, '01.09.2020', '31.12.2020']]);
  });

  it('keeps a group title that names a field for the column it stands on', async () => {
    const file = await xlsx((ws) => {
      ws.addRow([...header, 'Vecāks', null, null]);
      ws.addRow([null, null, null, null, null, 'Vārds, uzvārds', 'Tālrunis', 'E-pasts']);
      ws.mergeCells('F1:H1');
      ws.addRow(['5.a', 'Anna', 'Bērziņa', '020307-20404', 'Planšete', 'Inese Bērziņa', 26123456, 'a@b.lv']);
    });
    const { header: found, rows } = await readAll(file);
    expect(found.match.columns.firstName?.index).to.equal(2);
    expect(found.match.columns.guardianName?.index).to.equal(6);
    expect(found.match.columns.guardianPhone?.index).to.equal(7);
    expect(summary(rows, 'guardianName', 'guardianEmail')).to.deep.equal([[3, 'Inese Bērziņa', 'a@b.lv']]);
  });

  it('takes the row under the header as data when it fills the header’s columns', async () => {
    const file = await xlsx((ws) => {
      ws.addRow([...header, 'Piezīmes skolai']);
      ws.addRow(['5.a', 'Anna', 'Bērziņa', '020307-20404', 'Planšete', 'Tālrunis']);
    });
    const { header: found, rows } = await readAll(file);
    expect(found.match.columns.guardianPhone).to.equal(undefined);
    expect(summary(rows, 'firstName')).to.deep.equal([[2, 'Anna']]);
  });
});

describe('sheet layouts: repeated headers and blank rows', () => {
  it('skips the header repeated above each class’s section', async () => {
    const file = await xlsx((ws) => {
      ws.addRow(header);
      ws.addRow(['5.a', 'Anna', 'Bērziņa', '020307-20404', 'Planšete']);
      ws.addRow([]);
      ws.addRow(header);
      ws.addRow(['5.b', 'Jānis', 'Ozols', '020307-20404', 'dators']);
      ws.addRow(['klase', 'vārds', 'UZVĀRDS', 'Personas kods*', 'Ierīce:']);
      ws.addRow(['5.c', 'Ilze', 'Kalna', '020307-20404', 'dators']);
    });
    expect(summary((await readAll(file)).rows, 'class')).to.deep.equal([
      [2, '5.a'],
      [5, '5.b'],
      [7, '5.c'],
    ]);
  });

  it('skips a section’s title standing alone above its repeated header, and keeps a lone cell anywhere else as a row', async () => {
    const file = await xlsx((ws) => {
      ws.addRow(['5.a klase']);
      ws.addRow(header);
      ws.addRow(['5.a', 'Anna', 'Bērziņa', '020307-20404', 'Planšete']);
      ws.addRow(['5.b klase']);
      ws.addRow([]);
      ws.addRow(header);
      ws.addRow(['5.b', 'Jānis', 'Ozols', '020307-20404', 'dators']);
      // Only a name: an incomplete pupil, reported, not skipped.
      ws.addRow([null, 'Ilze']);
      ws.addRow(['5.c', 'Pēteris', 'Kalns', '020307-20404', 'dators']);
      ws.addRow([null, null, 'Liepa']);
    });
    expect(summary((await readAll(file)).rows, 'firstName', 'lastName')).to.deep.equal([
      [3, 'Anna', 'Bērziņa'],
      [7, 'Jānis', 'Ozols'],
      [8, 'Ilze', null],
      [9, 'Pēteris', 'Kalns'],
      [10, null, 'Liepa'],
    ]);
  });

  it('skips both rows of a repeated two-row header', async () => {
    const file = await xlsx((ws) => {
      for (const at of [1, 4]) {
        ws.getRow(at).values = [...header, 'Vecāka kontakti', null];
        ws.getRow(at + 1).values = [null, null, null, null, null, 'Tālrunis', 'E-pasts'];
        ws.mergeCells(`F${at}:G${at}`);
      }
      ws.getRow(3).values = ['5.a', 'Anna', 'Bērziņa', '020307-20404', 'Planšete', 26123456];
      ws.getRow(6).values = ['5.b', 'Jānis', 'Ozols', '020307-20404', 'dators', 29123456];
    });
    expect(summary((await readAll(file)).rows, 'class', 'guardianPhone')).to.deep.equal([
      [3, '5.a', 26123456],
      [6, '5.b', 29123456],
    ]);
  });

  it('keeps a data row that happens to hold one header name among its values', async () => {
    const file = await xlsx((ws) => {
      ws.addRow(header);
      ws.addRow(['Klase', 'Anna', 'Bērziņa', '020307-20404', 'Planšete']);
    });
    expect(summary((await readAll(file)).rows, 'firstName')).to.deep.equal([[2, 'Anna']]);
  });

  it('takes a pre-numbered template row with no field filled for blank, and does not count it', async () => {
    const file = await xlsx((ws) => {
      ws.addRow(['Nr.', ...header]);
      ws.addRow([1, '5.a', 'Anna', 'Bērziņa', '020307-20404', 'Planšete']);
      for (let n = 2; n <= 50; n++) ws.addRow([n]);
    });
    const { rows } = await readAll(file, 'device-needs', 1);
    expect(summary(rows, 'firstName')).to.deep.equal([[2, 'Anna']]);
  });

  it('does the same in a .csv', async () => {
    const lines = ['Nr.;Klase;Vārds;Uzvārds;Personas kods;Ierīce', '1;5.a;Anna;Bērziņa;020307-20404;Planšete', '2;;;;;', 'Nr.;Klase;Vārds;Uzvārds;Personas kods;Ierīce', '3;5.b;Jānis;Ozols;020307-20404;dators'];
    expect(summary((await readAll(csv(lines))).rows, 'class')).to.deep.equal([
      [2, '5.a'],
      [5, '5.b'],
    ]);
  });

  it('still counts rows with a field filled towards the row limit', async () => {
    const file = await xlsx((ws) => {
      ws.addRow(['Nr.', ...header]);
      ws.addRow([1, '5.a', 'Anna']);
      ws.addRow([2, '5.a', 'Jānis']);
    });
    const err = await readAll(file, 'device-needs', 1).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as SpreadsheetError).code).to.equal('too_many_rows');
  });
});
