import { expect } from 'chai';
import { normalizeHeader, matchHeaderRow, type FieldSpec } from '../../../imports/headers.ts';

describe('normalizeHeader', () => {
  it('ignores case, spaces and punctuation around the name', () => {
    for (const s of ['Personas kods', ' personas  KODS ', 'Personas kods*', 'Personas kods:', 'Personas\u00a0kods', '"Personas kods"', 'Personas\nkods']) {
      expect(normalizeHeader(s), s).to.equal('personas kods');
    }
    expect(normalizeHeader('Pers. kods')).to.equal('pers kods');
    expect(normalizeHeader('Personas kods (obligāts)')).to.equal('personas kods obligats');
    expect(normalizeHeader('Vārds/uzvārds')).to.equal('vards uzvards');
  });

  it('drops Latvian and Russian diacritics', () => {
    expect(normalizeHeader('Vecāka tālrunis')).to.equal('vecaka talrunis');
    expect(normalizeHeader('Ģimenes stāvoklis; ŠĶŪŽĪĻŅČĒ')).to.equal('gimenes stavoklis skuzilnce');
    expect(normalizeHeader('Её ОТЧЁТ')).to.equal('ее отчет');
    expect(normalizeHeader('Персональный код')).to.equal(normalizeHeader('персональныи код'));
  });

  it('keeps a hyphen inside a word and joins spaced hyphens; drops stray ones', () => {
    expect(normalizeHeader('Vecāka e-pasts')).to.equal('vecaka e-pasts');
    expect(normalizeHeader('Vecāka E - pasts')).to.equal('vecaka e-pasts');
    expect(normalizeHeader('Vecāka e–pasts')).to.equal('vecaka e-pasts');
    expect(normalizeHeader('- Tālrunis -')).to.equal('talrunis');
  });
});

const deviceFields: FieldSpec[] = [
  { key: 'class', names: ['Klase', 'Класс', 'Class'], required: true },
  { key: 'firstName', names: ['Vārds', 'Имя', 'First name'], required: true },
  { key: 'lastName', names: ['Uzvārds', 'Фамилия', 'Last name', 'Surname'], required: true },
  { key: 'personalCode', names: ['Personas kods', 'Персональный код', 'Personal code'], required: true },
  { key: 'deviceType', names: ['Ierīce', 'Ierīces tips', 'Устройство', 'Device'], required: true },
  { key: 'phone', names: ['Vecāka tālrunis', 'Tālrunis', 'Телефон', 'Phone'], required: false },
  { key: 'email', names: ['Vecāka e-pasts', 'E-pasts', 'Эл. почта', 'E-mail'], required: false },
  { key: 'language', names: ['Valoda', 'Язык', 'Language'], required: false },
];

describe('matchHeaderRow', () => {
  it('recognises the header row of the sample and maps columns by their exceljs index', () => {
    const row = [undefined, 'Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce', 'Vecāka tālrunis', 'Vecāka e-pasts', 'Valoda'];
    const m = matchHeaderRow(row, deviceFields);
    expect(m).to.not.equal(null);
    expect(m?.columns.personalCode).to.deep.equal({ index: 4, header: 'Personas kods' });
    expect(m?.columns.class).to.deep.equal({ index: 1, header: 'Klase' });
    expect(m?.columns.email).to.deep.equal({ index: 7, header: 'Vecāka e-pasts' });
    expect(Object.keys(m?.columns ?? {})).to.have.length(8);
    expect(m?.missingRequired).to.deep.equal([]);
    expect(m?.unknown).to.deep.equal([]);
  });

  it('returns null for title rows, blank rows and data rows', () => {
    expect(matchHeaderRow([undefined, 'Liepājas 15. vidusskola'], deviceFields)).to.equal(null);
    expect(matchHeaderRow([], deviceFields)).to.equal(null);
    expect(matchHeaderRow([undefined, null, null], deviceFields)).to.equal(null);
    expect(matchHeaderRow([undefined, '3.a', 'Rihards', 'Kalniņš', '020307-20404', 'Portatīvais dators', 26500000], deviceFields)).to.equal(null);
    // One name by chance (a title that reads "Klase") is not a header row.
    expect(matchHeaderRow([undefined, 'Klase', '5.b'], deviceFields)).to.equal(null);
  });

  it('recognises Russian and English names, sloppy spelling and cells of any shape', () => {
    const ru = matchHeaderRow([undefined, 'КЛАСС', 'Имя', 'Фамилия', ' Персональный  код ', 'Устройство', 'Телефон:'], deviceFields);
    expect(ru?.missingRequired).to.deep.equal([]);
    expect(ru?.columns.personalCode).to.deep.equal({ index: 4, header: 'Персональный код' });
    expect(ru?.columns.phone?.header).to.equal('Телефон:');

    const en = matchHeaderRow(
      [undefined, { richText: [{ text: 'Personal ' }, { text: 'code' }] }, 'surname', 'FIRST NAME', 'class', { formula: '"Device"', result: 'Device' }, 'e-mail'],
      deviceFields,
    );
    expect(en?.missingRequired).to.deep.equal([]);
    expect(en?.columns.personalCode).to.deep.equal({ index: 1, header: 'Personal code' });
    expect(en?.columns.deviceType?.index).to.equal(5);
    expect(en?.columns.email?.index).to.equal(6);

    const bare = matchHeaderRow([undefined, 'klase', 'vards', 'uzvards', 'personas kods', 'ierices tips'], deviceFields);
    expect(bare?.missingRequired).to.deep.equal([]);
  });

  it('still recognises a sheet missing a required column and reports it', () => {
    const m = matchHeaderRow([undefined, 'Klase', 'Vārds', 'Uzvārds', 'Ierīce', 'Tālrunis'], deviceFields);
    expect(m).to.not.equal(null);
    expect(m?.missingRequired).to.deep.equal(['personalCode']);
    expect(m?.columns.phone?.index).to.equal(5);
  });

  it('needs more than half of the required fields when some are missing', () => {
    // Two fields, but only 2 of 5 required ones: not a header row.
    expect(matchHeaderRow([undefined, 'Vārds', 'Uzvārds', 'Tālrunis', 'Valoda'], deviceFields)).to.equal(null);
    // Three of five required: recognised, the other two reported.
    const m = matchHeaderRow([undefined, 'Vārds', 'Uzvārds', 'Personas kods'], deviceFields);
    expect(m?.missingRequired).to.deep.equal(['class', 'deviceType']);
  });

  it('keeps the first of two cells for the same field and lists the rest as unknown', () => {
    const row = [undefined, 'Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce', 'Piezīmes', 'personas kods*', 'Tālrunis'];
    const m = matchHeaderRow(row, deviceFields);
    expect(m?.columns.personalCode).to.deep.equal({ index: 4, header: 'Personas kods' });
    expect(m?.unknown).to.deep.equal([
      { index: 6, header: 'Piezīmes' },
      { index: 7, header: 'personas kods*' },
    ]);
    expect(m?.columns.phone?.index).to.equal(8);
  });

  it('skips holes in a sparse row.values array', () => {
    const row: unknown[] = [];
    row[2] = 'Klase';
    row[4] = 'Vārds';
    row[5] = 'Uzvārds';
    row[6] = 'Personas kods';
    row[9] = 'Ierīce';
    const m = matchHeaderRow(row, deviceFields);
    expect(m?.columns.class?.index).to.equal(2);
    expect(m?.columns.deviceType?.index).to.equal(9);
    expect(m?.unknown).to.deep.equal([]);
  });

  it('with no required fields, needs at least one match', () => {
    const optional: FieldSpec[] = [{ key: 'note', names: ['Piezīmes'], required: false }];
    expect(matchHeaderRow([undefined, 'Kaut kas'], optional)).to.equal(null);
    expect(matchHeaderRow([undefined, 'Piezīmes'], optional)?.columns.note?.index).to.equal(1);
  });
});
