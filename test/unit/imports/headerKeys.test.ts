import { expect } from 'chai';
import { extendHeader, headerKey, headerRepeats, matchHeaderRow, type FieldSpec } from '../../../imports/headers.ts';

const fields: FieldSpec[] = [
  { key: 'class', names: ['Klase'], required: true },
  { key: 'firstName', names: ['Vārds'], required: true },
  { key: 'phone', names: ['Tālrunis', 'Tālr.'], required: false },
  { key: 'email', names: ['E-pasts'], required: false },
  { key: 'from', names: ['Derīgs no', 'No'], required: false },
];
const row = (...cells: unknown[]) => [undefined, ...cells];

describe('headerKey', () => {
  it('ignores spaces, dots and hyphens between the words of a name', () => {
    for (const s of ['E-pasts', 'E pasts', 'Epasts', 'e.pasts', 'E - pasts', 'E–pasts', ' E-PASTS: ']) expect(headerKey(s), s).to.equal('epasts');
    expect(headerKey('Pers. kods')).to.equal(headerKey('Pers.kods'));
    expect(headerKey('Personas kods / ID')).to.equal(headerKey('Personas kods/ID'));
    expect(headerKey('Nr. p.k.')).to.not.equal(headerKey('P.k.'));
  });
});

describe('extendHeader', () => {
  const header = row('Klase', 'Vārds', 'Kontakti', null);

  it('adds the names under a group title merged across their columns', () => {
    const m = extendHeader(header, row(null, null, 'Tālrunis', 'E-pasts'), fields, [{ left: 3, right: 4 }]);
    expect(m?.columns.phone).to.deep.equal({ index: 3, header: 'Tālrunis' });
    expect(m?.columns.email).to.deep.equal({ index: 4, header: 'E-pasts' });
    expect(m?.unknown).to.deep.equal([]);
  });

  it('takes a title followed by empty header cells as a group without any merge', () => {
    expect(extendHeader(header, row(null, null, 'Tālr.', 'E-pasts'), fields)?.columns.phone?.index).to.equal(3);
  });

  it('tries each name with its group title before it', () => {
    const m = extendHeader(row('No', 'Klase', 'Vārds', 'Derīgs', null), row(null, null, null, 'no', 'līdz'), fields, [{ left: 4, right: 5 }]);
    expect(m?.columns.from).to.deep.equal({ index: 4, header: 'no' });
    expect(m?.unknown.map((u) => u.header)).to.deep.equal(['No', 'līdz']);
  });

  it('is null for a row that fills a named column, names nothing new, or is empty', () => {
    expect(extendHeader(header, row('5.a', null, 'Tālrunis'), fields, [{ left: 3, right: 4 }])).to.equal(null);
    expect(extendHeader(row('Klase', 'Vārds', 'Piezīmes'), row(null, null, 'Tālrunis'), fields)).to.equal(null);
    expect(extendHeader(header, row(null, null, 'mājas', 'darba'), fields, [{ left: 3, right: 4 }])).to.equal(null);
    expect(extendHeader(header, row(), fields)).to.equal(null);
  });
});

describe('headerRepeats', () => {
  const values = row('Klase', 'Vārds', 'Piezīmes');
  const repeats = headerRepeats([values], matchHeaderRow(values, fields)!);

  it('is true for the header again, written a little differently or with cells left out', () => {
    expect(repeats(row('Klase', 'Vārds', 'Piezīmes'))).to.equal(true);
    expect(repeats(row('KLASE:', 'vārds*'))).to.equal(true);
  });

  it('is false for a data row, a row of unused names only and a blank row', () => {
    expect(repeats(row('Klase', 'Anna', 'Piezīmes'))).to.equal(false);
    expect(repeats(row(null, null, 'Piezīmes'))).to.equal(false);
    expect(repeats(row())).to.equal(false);
  });
});
