import { expect } from 'chai';
import { matchHeaderRow } from '../../../imports/headers.ts';
import { kindSpecs, rowParser, type ImportKind } from '../../../imports/kinds/index.ts';
import { deviceNeeds } from '../../../imports/kinds/deviceNeeds.ts';
import { foodEntitlements } from '../../../imports/kinds/foodEntitlements.ts';
import { kindergartenRequests } from '../../../imports/kinds/kindergartenRequests.ts';
import { readRows } from '../../support/readRows.ts';

const row = (names: string[]) => [undefined, ...names];
const columnsOf = (names: string[], kind: ImportKind) => {
  const m = matchHeaderRow(row(names), kindSpecs[kind].fields);
  return Object.fromEntries(Object.entries(m?.columns ?? {}).map(([k, c]) => [k, c.header]));
};


describe('header matching: the best column for each field', () => {
  it('gives food entitlements "valid from" to "Derīgs no", not to a "No." row-number column before it', async () => {
    const { header, rows } = await readRows(
      [
        ['No.', 'Personas kods', 'Vārds', 'Uzvārds', 'Statuss', 'Derīgs no', 'Derīgs līdz'],
        [1, '020307-20404', 'Anna', 'Bērziņa', 'trūcīga', '01.09.2020', '31.12.2020'],
      ],
      'food-entitlements',
    );
    expect(header.match.columns.validFrom).to.deep.equal({ index: 6, header: 'Derīgs no' });
    expect(header.match.unknown).to.deep.equal([{ index: 1, header: 'No.' }]);
    const parsed = rowParser(foodEntitlements, { date1904: false, today: '2020-09-15' })(rows[0]!.cells);
    expect(parsed.ok && parsed.record.validFrom).to.equal('2020-09-01');
  });

  it('prefers the full name wherever the columns stand, and takes a bare "No" only when nothing better names the field', () => {
    const food = ['Personas kods', 'Vārds', 'Uzvārds', 'Statuss', 'Līdz'];
    expect(columnsOf(['Derīgs no', ...food, 'Nr.', 'No'], 'food-entitlements').validFrom).to.equal('Derīgs no');
    expect(columnsOf(['No', ...food, 'Spēkā no'], 'food-entitlements').validFrom).to.equal('Spēkā no');
    expect(columnsOf([...food, 'No'], 'food-entitlements').validFrom).to.equal('No');
  });

  it('prefers a longer name of a field over a shorter one, and lists the shorter as unknown', () => {
    const m = matchHeaderRow(row(['E-pasts', 'Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce', 'Vecāka e-pasts', 'Tālrunis', 'Vecāka tālrunis']), deviceNeeds.fields);
    expect(m?.columns.guardianEmail).to.deep.equal({ index: 7, header: 'Vecāka e-pasts' });
    expect(m?.columns.guardianPhone).to.deep.equal({ index: 9, header: 'Vecāka tālrunis' });
    expect(m?.unknown.map((u) => u.header)).to.deep.equal(['E-pasts', 'Tālrunis']);
    // Columns stay in sheet order whatever order the fields were matched in.
    expect(Object.keys(m?.columns ?? {})).to.deep.equal(['class', 'firstName', 'lastName', 'personalCode', 'deviceType', 'guardianEmail', 'guardianPhone']);
  });

  it('in every kind, a row-number column takes no field that the template names', () => {
    for (const [kind, spec] of Object.entries(kindSpecs) as Array<[ImportKind, (typeof kindSpecs)[ImportKind]]>) {
      const template = spec.fields.map((f) => f.names[0]!);
      const expected = columnsOf(template, kind);
      for (const numbered of ['No.', 'Nr.', 'Nr. p.k.', '№', 'N', 'Npk', '№ п/п']) {
        const m = matchHeaderRow(row([numbered, ...template]), spec.fields);
        const byField = Object.fromEntries(Object.entries(m?.columns ?? {}).map(([k, c]) => [k, c.header]));
        expect(byField, `${kind} with ${numbered}`).to.deep.equal(expected);
      }
    }
  });
});

describe('header matching: the names principals write', () => {
  const deviceBase = ['Klase', 'Vārds', 'Uzvārds', 'Ierīce'];
  const requestBase = ['Bērna vārds', 'Bērna uzvārds', 'Personas kods', 'Darba vieta', 'Nozare', 'Vajadzīgs no'];

  it('treats hyphens, dots and spaces alike: e-mail and phone columns written in several ways', () => {
    for (const email of ['E pasts', 'Epasts', 'E-pasts', 'e.pasts', 'E - pasts', 'E-pasta adrese', 'Эл. адрес', 'Эл.почта', 'Email', 'E-mail address']) {
      expect(columnsOf([...deviceBase, 'Personas kods', email], 'device-needs').guardianEmail, email).to.equal(email);
      expect(columnsOf([...requestBase, email], 'kindergarten-requests').parentEmail, email).to.equal(email);
    }
    for (const phone of ['Tālr.', 'Tālr. nr.', 'Tālruņa numurs', 'Telefons', 'Tel.', 'Mob. tālr.', 'Тел.', 'Номер телефона', 'Phone number', 'Telephone']) {
      expect(columnsOf([...deviceBase, 'Personas kods', phone], 'device-needs').guardianPhone, phone).to.equal(phone);
      expect(columnsOf([...requestBase, phone], 'kindergarten-requests').parentPhone, phone).to.equal(phone);
    }
  });

  it('recognises the usual ways of heading the personal code in every kind that has one', () => {
    for (const code of ['Pers. kods', 'Pers.kods', 'Personas kods/ID', 'Personas kods / ID', 'Pers.k.', 'Перс. код', 'Личный код', 'Personal ID', 'Personal code/ID']) {
      expect(columnsOf([...deviceBase, code], 'device-needs').personalCode, code).to.equal(code);
      expect(columnsOf([code, 'Vārds', 'Uzvārds', 'Statuss', 'Derīgs no', 'Derīgs līdz'], 'food-entitlements').personalCode, code).to.equal(code);
      expect(columnsOf(['Vārds', 'Uzvārds', code, 'Darba vieta', 'Nozare', 'Vajadzīgs no'], 'kindergarten-requests').personalCode, code).to.equal(code);
    }
  });

  it('recognises other common names of each kind', () => {
    expect(columnsOf(['Datums', 'Grupa', 'Reģistrēto bērnu skaits', 'Klātesošo bērnu skaits'], 'kindergarten-attendance')).to.have.keys('day', 'group', 'registered', 'present');
    expect(columnsOf(['Ierīces veids', 'Zīmols', 'Sērijas Nr.', 'Ierīces stāvoklis'], 'ministry-shipment')).to.have.keys('deviceType', 'make', 'serial', 'condition');
    expect(columnsOf(['Personas kods', 'Vārds', 'Uzvārds', 'Statuss', 'Spēkā no', 'Spēkā līdz'], 'food-entitlements')).to.include({ validFrom: 'Spēkā no', validTo: 'Spēkā līdz' });
    expect(columnsOf(['Bērna vārds', 'Bērna uzvārds', 'Bērna pers. kods', 'Darba vieta', 'Nozare', 'Vajadzīgs no'], 'kindergarten-requests')).to.include({ personalCode: 'Bērna pers. kods' });
  });

  it('keeps every kind’s names distinct once spaces, dots and hyphens are ignored', () => {
    for (const [kind, spec] of Object.entries(kindSpecs) as Array<[ImportKind, (typeof kindSpecs)[ImportKind]]>) {
      for (const field of spec.fields) {
        for (const name of field.names) {
          const m = matchHeaderRow(row([name]), [field]);
          expect(m?.columns[field.key]?.header, `${kind} ${field.key} ${name}`).to.equal(name);
          for (const other of spec.fields.filter((f) => f !== field)) {
            expect(matchHeaderRow(row([name]), [{ ...other, required: false }]), `${kind}: ${name} names ${other.key} too`).to.equal(null);
          }
        }
      }
    }
  });
});

describe('the header event: columns that were not used', () => {
  it('lists, as written and in column order, the header names no field was read from', async () => {
    const { header } = await readRows(
      [
        ['Nr.', 'Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce', 'Dzimšanas datums', 'personas kods*', 'Piezīmes skolai'],
        [1, '5.a', 'Anna', 'Bērziņa', '020307-20404', 'dators', null, null, 'x'],
      ],
      'device-needs',
    );
    expect(header.unusedColumns).to.deep.equal(['Nr.', 'Dzimšanas datums', 'personas kods*', 'Piezīmes skolai']);
  });

  it('is empty when every column is used', async () => {
    // The template's columns: a whole-name column beside first and last names would be left unread.
    const { header } = await readRows([deviceNeeds.fields.filter((f) => !f.wholeName).map((f) => f.names[0]!)], 'device-needs');
    expect(header.unusedColumns).to.deep.equal([]);
  });
});

describe('header matching: kindergarten requests keep the child apart from the parent', () => {
  it('gives the child and parent columns their own fields', () => {
    const m = matchHeaderRow(row(['Vecāka vārds, uzvārds', 'Bērna vārds', 'Bērna uzvārds', 'Bērna personas kods', 'Vecāka tālr.', 'Vecāka e-pasts', 'Darba vieta', 'Nozare', 'Vajadzīgs no']), kindergartenRequests.fields);
    expect(m?.missingRequired).to.deep.equal([]);
    expect(m?.columns.parentName?.index).to.equal(1);
    expect(m?.columns.firstName?.index).to.equal(2);
    expect(m?.columns.parentPhone?.header).to.equal('Vecāka tālr.');
  });
});
