import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { rowParser, type ParsedRow } from '../../../imports/kinds/index.ts';
import { deviceNeeds } from '../../../imports/kinds/deviceNeeds.ts';
import { foodEntitlements } from '../../../imports/kinds/foodEntitlements.ts';
import { kindergartenAttendance } from '../../../imports/kinds/kindergartenAttendance.ts';

const ctx = { date1904: false, today: '2021-04-15' };
const issues = <T>(r: ParsedRow<T>) => ({
  errors: r.ok ? [] : r.errors.map((e) => `${e.field}:${e.code}`),
  warnings: r.warnings.map((w) => `${w.field}:${w.code}`),
});

/** The second row of a saved one-sheet workbook as exceljs' streaming reader (the one imports use) gives it. */
async function streamedRow(header: string[], cells: unknown[]): Promise<unknown[]> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Dati');
  ws.addRow(header);
  ws.addRow(cells);
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(bytes), { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore' });
  const rows: unknown[][] = [];
  for await (const sheet of reader as unknown as AsyncIterable<AsyncIterable<ExcelJS.Row>>) {
    for await (const row of sheet) rows.push(row.values as unknown[]);
  }
  return rows[1]!;
}

describe('cells that show a formula error', () => {
  const pupil = { class: '5.a', firstName: 'Anna', lastName: 'Bērziņa', personalCode: '020307-20404', deviceType: 'Planšete' };

  it('are reported as formula errors, not as empty, in required fields', () => {
    const parse = rowParser(deviceNeeds, ctx);
    const r = parse({
      class: { error: '#N/A' },
      firstName: { formula: 'VLOOKUP(A2,Saraksts!A:B,2,0)' },
      lastName: '',
      personalCode: { error: '#REF!' },
      deviceType: { formula: 'C2', result: { error: '#VALUE!' } },
    });
    expect(issues(r).errors).to.deep.equal(['class:formula_error', 'firstName:formula_error', 'lastName:required', 'personalCode:formula_error', 'deviceType:formula_error']);
  });

  it('are reported so in date and count fields too', () => {
    const food = rowParser(foodEntitlements, ctx);
    const good = { personalCode: '020307-20404', firstName: 'A', lastName: 'B', status: 'trūcīga', validFrom: '01.09.2020', validTo: '31.12.2020' };
    expect(issues(food({ ...good, validFrom: { formula: 'DATE(2020,9,1)' }, validTo: { error: '#DIV/0!' } })).errors).to.deep.equal(['validFrom:formula_error', 'validTo:formula_error']);
    const attendance = rowParser(kindergartenAttendance, ctx);
    const r = attendance({ day: '15.04.2021', group: 'Zīlītes', registered: { formula: 'SUM(B2:B9)', result: Number.NaN }, present: { error: '#NAME?' } });
    expect(issues(r).errors).to.deep.equal(['registered:formula_error', 'present:formula_error']);
  });

  it('leave an optional value out with a warning when the cell holds an error value', () => {
    const parse = rowParser(deviceNeeds, ctx);
    const r = parse({ ...pupil, guardianPhone: { error: '#N/A' }, language: { error: '#N/A' }, priority: { error: '#VALUE!' }, reason: { error: '#REF!' } });
    expect(r.ok).to.equal(true);
    expect(issues(r).warnings).to.deep.equal(['guardianPhone:formula_error', 'language:formula_error', 'reason:formula_error', 'priority:formula_error']);
    if (r.ok) expect(r.record).to.include({ guardianPhone: null, language: null, priority: null, reason: null });
  });

  it('warn, too, when an optional formula’s cached result is an error (a lookup that found nothing)', () => {
    const lookup = { formula: 'VLOOKUP(D2,Vecāki!A:C,3,0)', result: Number.NaN };
    const r = rowParser(deviceNeeds, ctx)({ ...pupil, guardianPhone: lookup, guardianEmail: lookup });
    expect(issues(r).warnings).to.deep.equal(['guardianPhone:formula_error', 'guardianEmail:formula_error']);
  });

  it('read an optional formula without a readable result as empty, as templates fill columns with formulas giving ""', () => {
    const r = rowParser(deviceNeeds, ctx)({ ...pupil, guardianEmail: { formula: 'IF(A2="","",B2)' }, address: { sharedFormula: 'M2' } });
    expect(issues(r)).to.deep.equal({ errors: [], warnings: [] });
  });

  it('are told apart as they come from a saved workbook', async () => {
    const header = ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce', 'Tālrunis'];
    const values = await streamedRow(header, [{ error: '#N/A' }, { formula: 'Saraksts!B2' }, { formula: '1/0', result: { error: '#DIV/0!' } }, '020307-20404', 'Planšete', { error: '#N/A' }]);
    const r = rowParser(deviceNeeds, ctx)({ class: values[1], firstName: values[2], lastName: values[3], personalCode: values[4], deviceType: values[5], guardianPhone: values[6] });
    expect(issues(r)).to.deep.equal({ errors: ['class:formula_error', 'firstName:formula_error', 'lastName:formula_error'], warnings: ['guardianPhone:formula_error'] });
  });
});
