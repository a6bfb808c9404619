import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { SpreadsheetError, type RowEvent } from '../../../imports/readWorkbook.ts';
import { kindSpecs, rowParser } from '../../../imports/kinds/index.ts';
import { splitWholeName } from '../../../imports/wholeNames.ts';
import { personalCodes } from '../../support/personalCodes.ts';
import { readRows } from '../../support/readRows.ts';

const names = (ev: RowEvent) => ({ firstName: ev.cells.firstName, lastName: ev.cells.lastName });
const notes = (ev: RowEvent) => (ev.notes ?? []).map((n) => `${n.field}:${n.code}`);

describe('whole names: first and last name in one cell', () => {
  it('splits at the comma where there is one, in the order the header gives', () => {
    expect(splitWholeName('Anna Marija, Bērziņa', 'firstLast')).to.deep.equal({ firstName: 'Anna Marija', lastName: 'Bērziņa', checked: true });
    expect(splitWholeName('Bērziņa Kalniņa,  Anna', 'lastFirst')).to.deep.equal({ firstName: 'Anna', lastName: 'Bērziņa Kalniņa', checked: true });
    expect(splitWholeName('Bērziņa,', 'lastFirst')).to.equal(null);
  });

  it('otherwise takes the surname as one word at the end the header says, the rest as the first name', () => {
    expect(splitWholeName('Anna Bērziņa', 'firstLast')).to.deep.equal({ firstName: 'Anna', lastName: 'Bērziņa', checked: true });
    expect(splitWholeName('Bērziņa Anna', 'lastFirst')).to.deep.equal({ firstName: 'Anna', lastName: 'Bērziņa', checked: true });
    expect(splitWholeName('Anna\u00a0Bērziņa-Kalniņa', 'firstLast')).to.deep.equal({ firstName: 'Anna', lastName: 'Bērziņa-Kalniņa', checked: true });
    // Three words: a reading to be checked (a double first name, a patronymic, or two surnames).
    expect(splitWholeName('Anna Marija Bērziņa', 'firstLast')).to.deep.equal({ firstName: 'Anna Marija', lastName: 'Bērziņa', checked: false });
    expect(splitWholeName('Иванов Олег Петрович', 'lastFirst')).to.deep.equal({ firstName: 'Олег Петрович', lastName: 'Иванов', checked: false });
    expect(splitWholeName('Anna', 'firstLast')).to.equal(null);
    expect(splitWholeName('', 'firstLast')).to.equal(null);
  });

  it('reads a list whose names stand in one "Vārds, uzvārds" column: each pupil with both names, the column named in its problems', async () => {
    const codes = personalCodes(4);
    const { header, rows } = await readRows(
      [
        ['Klase', 'Vārds, uzvārds', 'Personas kods', 'Ierīce'],
        ['5.a', 'Anna Bērziņa', codes[0], 'dators'],
        ['5.a', 'Anna Marija Kalniņa', codes[1], 'planšete'],
        ['6.b', 'Ozols, Ēriks', codes[2], 'dators'],
        ['6.b', 'Līga', codes[3], 'dators'],
      ],
      'device-needs',
    );
    expect(header.match.columns.firstName).to.deep.equal({ index: 2, header: 'Vārds, uzvārds' });
    expect(header.match.columns.lastName).to.deep.equal({ index: 2, header: 'Vārds, uzvārds' });
    expect(header.unusedColumns).to.deep.equal([]);
    expect(rows.map(names)).to.deep.equal([
      { firstName: 'Anna', lastName: 'Bērziņa' },
      { firstName: 'Anna Marija', lastName: 'Kalniņa' },
      // The header says first name first, and a comma divides the parts as written.
      { firstName: 'Ozols', lastName: 'Ēriks' },
      { firstName: 'Līga', lastName: null },
    ]);
    expect(rows.map(notes)).to.deep.equal([[], ['firstName:whole_name_split'], [], []]);
    // The one-word name is rejected for its missing last name, reported under the file's column.
    const parse = rowParser(kindSpecs['device-needs'], { date1904: false, today: '2026-11-25', slashDates: null });
    expect(parse(rows[0]!.cells)).to.include({ ok: true });
    const bad = parse(rows[3]!.cells);
    expect(bad.ok).to.equal(false);
    expect(bad.ok ? [] : bad.errors.map((e) => e.field)).to.deep.equal(['lastName']);
  });

  it('reads "ФИО" and "Uzvārds, vārds" surname first, in every kind with pupils or children', async () => {
    const [a, b] = personalCodes(2);
    const food = await readRows(
      [
        ['ФИО', 'Персональный код', 'Статус', 'Действует с', 'Действует до'],
        ['Иванов Олег', a, 'малоимущая', '01.09.2026', '31.12.2026'],
      ],
      'food-entitlements',
    );
    expect(names(food.rows[0]!)).to.deep.equal({ firstName: 'Олег', lastName: 'Иванов' });
    const requests = await readRows(
      [
        ['Bērna uzvārds, vārds', 'Bērna personas kods', 'Vecāka vārds, uzvārds', 'Darba vieta', 'Nozare', 'Vajadzīgs no'],
        ['Bērziņa Anna', b, 'Inese Bērziņa', 'Slimnīca', 'veselība', '01.12.2026'],
      ],
      'kindergarten-requests',
    );
    expect(names(requests.rows[0]!)).to.deep.equal({ firstName: 'Anna', lastName: 'Bērziņa' });
    // The parent's whole name stays the parent's.
    expect(requests.rows[0]!.cells.parentName).to.equal('Inese Bērziņa');
  });

  it('leaves a list with its own first and last name columns as it was, whatever whole-name column it also has', async () => {
    const [a] = personalCodes(1);
    const { header, rows } = await readRows(
      [
        ['Klase', 'Vārds', 'Uzvārds', 'Vārds, uzvārds', 'Personas kods', 'Ierīce'],
        ['5.a', 'Anna', 'Bērziņa', 'Anna Marija Bērziņa', a, 'dators'],
      ],
      'device-needs',
    );
    expect(header.match.names).to.equal(null);
    expect(header.unusedColumns).to.deep.equal(['Vārds, uzvārds']);
    expect(names(rows[0]!)).to.deep.equal({ firstName: 'Anna', lastName: 'Bērziņa' });
    expect(notes(rows[0]!)).to.deep.equal([]);
  });

  it('never takes a guardian’s "Vārds, uzvārds" under a "Vecāks" title for the pupil’s name', async () => {
    const [a] = personalCodes(1);
    const merge = (ws: ExcelJS.Worksheet) => ws.mergeCells('D1:E1');
    // The pupils' names in a column the reader does not know: the list lacks them, and says so.
    const lacking = readRows(
      [
        ['Klase', 'Skolēns', 'Personas kods', 'Vecāks', null, 'Ierīce'],
        [null, null, null, 'Vārds, uzvārds', 'Tālrunis', null],
        ['5.a', 'Anna Bērziņa', a, 'Inese Bērziņa', '26123456', 'dators'],
      ],
      'device-needs',
      merge,
    );
    const err = await lacking.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(SpreadsheetError);
    expect((err as SpreadsheetError).code).to.equal('missing_columns');
    // With the pupils' names in their own columns, the guardian's column is the guardian's.
    const { rows } = await readRows(
      [
        ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Vecāks', null, 'Ierīce'],
        [null, null, null, null, 'Vārds, uzvārds', 'Tālrunis', null],
        ['5.a', 'Anna', 'Bērziņa', a, 'Inese Bērziņa', '26123456', 'dators'],
      ],
      'device-needs',
      (ws) => ws.mergeCells('E1:F1'),
    );
    expect(rows[0]!.cells).to.include({ firstName: 'Anna', lastName: 'Bērziņa', guardianName: 'Inese Bērziņa' });
  });
});
