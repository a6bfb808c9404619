import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { cellDate } from '../../../imports/cells.ts';
import { rowParser, type ParsedRow } from '../../../imports/kinds/index.ts';
import { foodEntitlements } from '../../../imports/kinds/foodEntitlements.ts';
import { kindergartenAttendance } from '../../../imports/kinds/kindergartenAttendance.ts';
import { kindergartenRequests } from '../../../imports/kinds/kindergartenRequests.ts';

const ctx = { date1904: false, today: '2021-04-15' };
const errors = <T>(r: ParsedRow<T>) => (r.ok ? [] : r.errors.map((e) => `${e.field}:${e.code}`));

/** The first column's cells of a saved workbook as exceljs' streaming reader (the one imports use) gives them. */
async function streamedColumn(cells: Array<{ value: unknown; numFmt?: string }>): Promise<unknown[]> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Dati');
  for (const { value, numFmt } of cells) {
    const row = ws.addRow([value]);
    if (numFmt) row.getCell(1).numFmt = numFmt;
  }
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(bytes), { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore' });
  const values: unknown[] = [];
  for await (const sheet of reader as unknown as AsyncIterable<AsyncIterable<ExcelJS.Row>>) {
    for await (const row of sheet) values.push((row.values as unknown[])[1]);
  }
  return values;
}

describe('date cells with a time of day', () => {
  it('keep the day they show: the time is cut off, not rounded to the next day', () => {
    expect(cellDate(new Date('2020-09-01T14:30:00Z'))).to.equal('2020-09-01');
    expect(cellDate(new Date('2020-09-01T23:59:00Z'))).to.equal('2020-09-01');
    // Serial 44,301 is 15 April 2021; .7 is 16:48 that day.
    expect(cellDate(44301.7)).to.equal('2021-04-15');
    expect(cellDate(44301.5)).to.equal('2021-04-15');
    expect(cellDate(42613.75, true)).to.equal('2020-09-01');
    expect(cellDate({ formula: 'NOW()', result: 44301.99 })).to.equal('2021-04-15');
  });

  it('still read a plain date that float error put a moment before midnight as that date', () => {
    expect(cellDate(new Date('2020-08-31T23:59:59.999Z'))).to.equal('2020-09-01');
    expect(cellDate(new Date('2020-08-31T23:59:59.600Z'))).to.equal('2020-09-01');
    expect(cellDate(44074.99999999)).to.equal('2020-09-01');
    expect(cellDate(new Date('2020-08-31T23:59:58Z'))).to.equal('2020-08-31');
  });

  it('give the same day when read back from a saved workbook, whatever the cell format', async () => {
    const values = await streamedColumn([
      { value: new Date(Date.UTC(2020, 8, 1, 14, 30)), numFmt: 'dd.mm.yyyy hh:mm' },
      { value: new Date(Date.UTC(2021, 3, 15, 23, 59)), numFmt: 'dd.mm.yyyy hh:mm' },
      { value: 44301.7 },
      { value: 44301.7, numFmt: 'dd.mm.yyyy' },
      { value: new Date(Date.UTC(2020, 8, 1)), numFmt: 'dd.mm.yyyy' },
    ]);
    expect(values.map((v) => cellDate(v))).to.deep.equal(['2020-09-01', '2021-04-15', '2021-04-15', '2021-04-15', '2020-09-01']);
  });

  it('let an attendance row typed with the time of day count for that day, not a day in the future', () => {
    const parse = rowParser(kindergartenAttendance, ctx);
    const r = parse({ day: new Date(Date.UTC(2021, 3, 15, 16, 0)), group: 'Zīlītes', registered: 12, present: 10 });
    expect(r.ok && r.record.day).to.equal('2021-04-15');
    expect(errors(parse({ day: 44301.7, group: 'Rūķīši', registered: 12, present: 10 }))).to.deep.equal([]);
  });
});

describe('dates typed as text', () => {
  it('accept the old Windows Latvian short date and day-month-year with dashes', () => {
    for (const s of ['2020.09.01.', '2020.09.01', '2020. 09. 01.', '2020.9.1.', '01-09-2020', '1-9-2020', '01-09-2020 08:00']) {
      expect(cellDate(s), s).to.equal('2020-09-01');
    }
  });

  it('still refuse impossible days in those shapes', () => {
    for (const s of ['2020.13.01.', '2021.02.29.', '31-02-2020', '01-13-2020', '01-09-20']) expect(cellDate(s), s).to.equal(null);
  });

  it('read a whole number as a serial, as a .csv saved by Excel writes a date, but only within 1900..2100', () => {
    expect(cellDate('44075')).to.equal('2020-09-01');
    expect(cellDate(' 44075 ')).to.equal('2020-09-01');
    expect(cellDate('42613', true)).to.equal('2020-09-01');
    expect(cellDate('73415')).to.equal('2100-12-31');
    for (const s of ['0', '73416', '123456', '44075.5', '44 075', '-44075']) expect(cellDate(s), s).to.equal(null);
  });
});

describe('date fields: a plausible range', () => {
  const food = rowParser(foodEntitlements, ctx);
  const good = { personalCode: '020307-20404', firstName: 'A', lastName: 'B', status: 'trūcīga', validFrom: '01.09.2020', validTo: '31.12.2020' };

  it('refuse a small number that would be a day in 1900 in validity fields', () => {
    expect(errors(food({ ...good, validFrom: 1, validTo: 3 }))).to.deep.equal(['validFrom:date_out_of_range', 'validTo:date_out_of_range']);
    expect(errors(food({ ...good, validFrom: '2' }))).to.deep.equal(['validFrom:date_out_of_range']);
  });

  it('refuse dates before 2000 or after 2100, and accept the ends of the range', () => {
    expect(errors(food({ ...good, validFrom: '31.12.1999' }))).to.deep.equal(['validFrom:date_out_of_range']);
    expect(errors(food({ ...good, validTo: '01.01.2101' }))).to.deep.equal(['validTo:date_out_of_range']);
    const ends = food({ ...good, validFrom: '01.01.2000', validTo: '2100-12-31' });
    expect(ends.ok && [ends.record.validFrom, ends.record.validTo]).to.deep.equal(['2000-01-01', '2100-12-31']);
  });

  it('apply to the attendance day and the day care is needed from', () => {
    const attendance = rowParser(kindergartenAttendance, ctx);
    expect(errors(attendance({ day: 2, group: 'Zīlītes', registered: 12, present: 10 }))).to.deep.equal(['day:date_out_of_range']);
    const requests = rowParser(kindergartenRequests, ctx);
    const request = { firstName: 'Marta', lastName: 'Kalniņa', personalCode: '150316-21232', employer: 'Slimnīca', sector: 'policija', neededFrom: 5 };
    expect(errors(requests(request))).to.deep.equal(['neededFrom:date_out_of_range']);
  });
});
