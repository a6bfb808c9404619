import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { ambiguousSlashDate, cellDate, SlashDateEvidence } from '../../../imports/cells.ts';
import { readImportRows, type HeaderEvent, type RowEvent } from '../../../imports/readWorkbook.ts';
import { foodEntitlements } from '../../../imports/kinds/foodEntitlements.ts';
import { rowParser } from '../../../imports/kinds/index.ts';
import { makeZip, unzipEntries } from '../../support/zip.ts';

/**
 * Dates written with slashes come from computers set up for another country: "2/1/2020" is
 * 2 January in the United Kingdom and 1 February in the United States (and in a .csv that
 * LibreOffice or Excel saved there). The file's own dates with a day over 12 show which; without
 * them a date that reads both ways is refused, never guessed.
 */

const evidence = (...chunks: string[]) => {
  const e = new SlashDateEvidence();
  for (const c of chunks) e.feed(c);
  return e.order();
};

async function read(format: 'csv' | 'xlsx', bytes: Buffer) {
  const events: Array<HeaderEvent | RowEvent> = [];
  for await (const ev of readImportRows({ format, bytes }, foodEntitlements.fields, { maxRows: 100 })) events.push(ev);
  const header = events[0] as HeaderEvent;
  const parse = rowParser(foodEntitlements, { date1904: false, today: '2020-09-15', slashDates: header.slashDates });
  return { header, rows: (events.slice(1) as RowEvent[]).map((r) => parse(r.cells)) };
}

const head = ['Personas kods', 'Vārds', 'Uzvārds', 'Klase', 'Statuss', 'Derīgs no', 'Derīgs līdz'];

describe('slashed dates', () => {
  it('are read in the order their own numbers show, or else the order given', () => {
    expect(cellDate('7/31/2020')).to.equal('2020-07-31');
    expect(cellDate('31/7/2020', false, 'month-first')).to.equal('2020-07-31');
    expect(cellDate('2/1/2020')).to.equal('2020-01-02');
    expect(cellDate('2/1/2020', false, 'month-first')).to.equal('2020-02-01');
    expect(cellDate('5/5/2020', false, 'month-first')).to.equal('2020-05-05');
    expect(cellDate('13/13/2020')).to.equal(null);
    expect(cellDate('02.01.2020', false, 'month-first'), 'dots are always day first').to.equal('2020-01-02');
  });

  it('read both ways only when both numbers could be a month and they differ', () => {
    expect(ambiguousSlashDate('2/1/2020')).to.equal(true);
    expect(ambiguousSlashDate(' 12/11/2020 ')).to.equal(true);
    expect(ambiguousSlashDate({ formula: 'A1', result: '2/1/2020' })).to.equal(true);
    for (const v of ['5/5/2020', '13/1/2020', '1/13/2020', '02.01.2020', '2020-02-01', new Date(Date.UTC(2020, 1, 1)), 43862, null, '']) {
      expect(ambiguousSlashDate(v), String(v)).to.equal(false);
    }
  });

  it('take their order from the file: a day over 12 first or second, neither or both settle nothing', () => {
    expect(evidence('a;2/1/2020;7/31/2020\n')).to.equal('month-first');
    expect(evidence('a;2/1/2020;31/7/2020\n')).to.equal('day-first');
    expect(evidence('7/31/2020 31/7/2020')).to.equal(null);
    expect(evidence('2/1/2020 3/4/2021 01.09.2020')).to.equal(null);
    expect(evidence('x 1', '3/2/2020'), 'two cells’ texts are never joined').to.equal(null);
  });

  it('a .csv saved on a computer set up for the United States reads as it meant: 2/1/2020 is 1 February', async () => {
    const csv = [head.join(','), '100109-20601,Rihards,Kalniņš,2.b,trūcīga,2/1/2020,7/31/2020', '110210-20611,Evelīna,Ozola,3.b,trūcīga,9/1/2020,12/31/2020'].join('\r\n');
    const { header, rows } = await read('csv', Buffer.from(csv));
    expect(header.slashDates).to.equal('month-first');
    expect(rows.map((r) => (r.ok ? [r.record.validFrom, r.record.validTo] : r.errors))).to.deep.equal([
      ['2020-02-01', '2020-07-31'],
      ['2020-09-01', '2020-12-31'],
    ]);
  });

  it('a file whose slashed dates all read both ways has those rows refused, saying why; dotted dates still read', async () => {
    const csv = [head.join(';'), '100109-20601;Rihards;Kalniņš;2.b;trūcīga;2/1/2020;31.07.2020', '110210-20611;Evelīna;Ozola;3.b;trūcīga;01.02.2020;31.07.2020'].join('\r\n');
    const { header, rows } = await read('csv', Buffer.from(csv));
    expect(header.slashDates).to.equal(null);
    expect(rows[0]).to.deep.include({ ok: false, errors: [{ field: 'validFrom', code: 'ambiguous_date' }] });
    expect(rows[1]!.ok && rows[1]!.record.validFrom).to.equal('2020-02-01');
  });

  it('a workbook’s formulas and numbers show nothing: only its string cells do', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Dati');
    ws.addRow([...head, 'Stundas']);
    ws.addRow(['100109-20601', 'Rihards', 'Kalniņš', '2.b', 'trūcīga', '2/9/2020', '31.12.2020', { formula: 'A1/24/3600', result: 0 }]);
    const { header, rows } = await read('xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(header.slashDates).to.equal(null);
    expect(rows[0]).to.deep.include({ ok: false, errors: [{ field: 'validFrom', code: 'ambiguous_date' }] });
  });

  it('a date cut between two inflated chunks of the shared strings still counts', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Dati');
    ws.addRow(head);
    ws.addRow(['100109-20601', 'Rihards', 'Kalniņš', '2.b', 'trūcīga', '2/1/2020', '7/31/2020']);
    const entries = unzipEntries(Buffer.from(await wb.xlsx.writeBuffer()));
    const strings = entries.find((e) => e.name === 'xl/sharedStrings.xml')!;
    const xml = strings.data.toString('latin1');
    // Spaces between the table's opening tag and its first string put "7/31/2020" across the
    // 16 KiB boundary where the inflater hands over its first chunk.
    const openEnd = xml.indexOf('>', xml.indexOf('<sst')) + 1;
    const pad = 16 * 1024 - xml.indexOf('7/31/2020') - 3;
    const padded = Buffer.from(xml.slice(0, openEnd) + ' '.repeat(pad) + xml.slice(openEnd), 'latin1');
    const file = makeZip(entries.map((e) => (e === strings ? { name: e.name, data: padded } : e)));
    const { header, rows } = await read('xlsx', file);
    expect(header.slashDates).to.equal('month-first');
    expect(rows[0]!.ok && rows[0]!.record.validFrom).to.equal('2020-02-01');
  });

  it('a workbook with dates typed as text takes the order from its shared strings', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Dati');
    ws.addRow(head);
    ws.addRow(['100109-20601', 'Rihards', 'Kalniņš', '2.b', 'trūcīga', '2/1/2020', '7/31/2020']);
    const { header, rows } = await read('xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(header.slashDates).to.equal('month-first');
    expect(rows[0]!.ok && [rows[0]!.record.validFrom, rows[0]!.record.validTo]).to.deep.equal(['2020-02-01', '2020-07-31']);
  });
});
