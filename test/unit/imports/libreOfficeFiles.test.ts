import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { readImportRows } from '../../../imports/readWorkbook.ts';
import { kindSpecs, rowParser, type ImportKind } from '../../../imports/kinds/index.ts';
import { checkSpreadsheet } from '../../../src/imports/upload.ts';
import { AppError } from '../../../src/errors.ts';

/**
 * The sample lists as LibreOffice 7.4 saved them (`test/fixtures/libreoffice/`): as .xlsx with its
 * Excel filter and its Office Open XML filter, as a Windows-1257 .csv, as a .csv on a computer set
 * up for the United States (dates written 2/1/2020), and as its own .ods. A school that keeps its
 * lists in LibreOffice gets what it would from Excel.
 */

const fixtures = path.join(import.meta.dirname, '..', '..', 'fixtures');
const today = '2026-11-25';

/** Each row as the import would take it: its number and record, or its errors. */
async function readAs(file: string, kind: ImportKind): Promise<string[]> {
  const bytes = fs.readFileSync(path.join(fixtures, file));
  const spec = kindSpecs[kind];
  let parse: ReturnType<typeof rowParser> | null = null;
  const out: string[] = [];
  for await (const ev of readImportRows({ format: checkSpreadsheet(bytes), bytes }, spec.fields, { maxRows: 1000 })) {
    if (ev.type === 'header') {
      parse = rowParser(spec, { date1904: ev.date1904, today, slashDates: ev.slashDates });
      continue;
    }
    const row = parse!(ev.cells);
    out.push(JSON.stringify([ev.rowNumber, row.ok ? row.record : row.errors, row.warnings]));
  }
  return out;
}

describe('lists saved by LibreOffice', () => {
  const copies: Array<[string, string, ImportKind]> = [
    ['libreoffice/device-needs-saved-as-xlsx.xlsx', 'xlsx/device-needs-title-row-phones-as-numbers-one-bad-check-digit.xlsx', 'device-needs'],
    ['libreoffice/device-needs-saved-as-csv-windows-1257.csv', 'xlsx/device-needs-title-row-phones-as-numbers-one-bad-check-digit.xlsx', 'device-needs'],
    ['libreoffice/food-entitlements-saved-as-office-open-xml.xlsx', 'xlsx/food-entitlements-real-and-text-dates.xlsx', 'food-entitlements'],
    ['libreoffice/ministry-shipment-saved-as-xlsx.xlsx', 'xlsx/ministry-shipment-12-devices.xlsx', 'ministry-shipment'],
  ];
  for (const [copy, original, kind] of copies) {
    it(`${path.basename(copy)} reads exactly as the list it was saved from`, async () => {
      const expected = await readAs(original, kind);
      expect(expected.length).to.be.greaterThan(5);
      expect(await readAs(copy, kind)).to.deep.equal(expected);
    });
  }

  it('a .csv saved on a US-set computer: its real dates became 2/1/2020, which is refused as reading both ways, not taken as 2 January', async () => {
    const rows = (await readAs('libreoffice/food-entitlements-saved-as-csv-on-a-us-computer.csv', 'food-entitlements')).map((r) => JSON.parse(r) as [number, unknown]);
    expect(rows).to.have.length(6);
    for (const [, outcome] of rows) expect(outcome).to.deep.equal([{ field: 'validFrom', code: 'ambiguous_date' }]);
  });

  it('its own .ods is refused with the way to save an .xlsx', () => {
    const bytes = fs.readFileSync(path.join(fixtures, 'libreoffice/device-needs-saved-as-ods.ods'));
    expect(() => checkSpreadsheet(bytes)).to.throw(AppError).with.property('code', 'opendocument');
  });
});
