import { expect } from 'chai';
import { matchHeaderRow } from '../../../imports/headers.ts';
import { rowParser, type ParsedRow } from '../../../imports/kinds/index.ts';
import { kindergartenRequests } from '../../../imports/kinds/kindergartenRequests.ts';
import { choiceLists, language, sector } from '../../../imports/kinds/words.ts';
import { sectors } from '../../../src/kindergartens/model.ts';

const ctx = { date1904: false, today: '2020-04-15' };
const issues = <T>(r: ParsedRow<T>) => ({
  errors: r.ok ? [] : r.errors.map((e) => `${e.field}:${e.code}`),
  warnings: r.warnings.map((w) => `${w.field}:${w.code}`),
});
// exceljs row.values: index 0 is unused.
const headerRow = (names: string[]) => [undefined, ...names];

describe('import kind: kindergarten-requests', () => {
  const parse = rowParser(kindergartenRequests, ctx);
  const good = { firstName: 'Marta', lastName: 'Kalniņa', personalCode: '150316-21232', employer: 'Liepājas reģionālā slimnīca', sector: 'veselības aprūpe', neededFrom: '23.03.2020' };

  it('normalises a valid row; empty optional cells stay null (the language too, so an update keeps the stored one)', () => {
    const r = parse({ ...good, parentName: 'Inese Kalniņa', parentPhone: 26123456, parentEmail: ' Inese@Example.LV ' });
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.key).to.equal('150316-21232');
    expect(r.record).to.deep.include({
      firstName: 'Marta',
      sector: 'health',
      neededFrom: '2020-03-23',
      parentPhone: '+37126123456',
      parentEmail: 'inese@example.lv',
      language: null,
      preferredArea: null,
      note: null,
    });
    expect(r.record.personalCode).to.deep.equal({ code: '150316-21232', form: 'old', birthDate: '2016-03-15' });
    expect(issues(r)).to.deep.equal({ errors: [], warnings: [] });
  });

  it('reads sectors and languages written in Latvian, Russian or English, and a date as a real date or a serial', () => {
    const cases: Array<[string, string]> = [
      ['Policija', 'police'],
      ['торговля', 'retail'],
      ['Utilities', 'utilities'],
      ['sociālā aprūpe', 'social_care'],
      ['social_care', 'social_care'],
      ['общественный транспорт', 'transport'],
      ['cita nozare', 'other'],
    ];
    for (const [word, key] of cases) {
      const r = parse({ ...good, sector: word });
      expect(r.ok && r.record.sector, word).to.equal(key);
    }
    const ru = parse({ ...good, language: 'русский', neededFrom: new Date(Date.UTC(2020, 2, 30)) });
    expect(ru.ok && [ru.record.language, ru.record.neededFrom]).to.deep.equal(['ru', '2020-03-30']);
    // Serial 43,922 in the 1900 date system is 1 April 2020; a day already past is accepted.
    const serial = parse({ ...good, neededFrom: 43_922 });
    expect(serial.ok && serial.record.neededFrom).to.equal('2020-04-01');
  });

  it('rejects missing and invalid required fields, one error per field, and still lists the warnings', () => {
    const r = parse({ firstName: 'Marta', personalCode: '150316-21230', sector: 'lauksaimniecība', neededFrom: '31.02.2020', parentPhone: '12', parentEmail: 'x@', language: 'klingoņu' });
    expect(r.ok).to.equal(false);
    expect(issues(r)).to.deep.equal({
      errors: ['lastName:required', 'personalCode:personal_code_check_digit', 'employer:required', 'sector:unknown_sector', 'neededFrom:invalid_date'],
      warnings: ['parentPhone:invalid_phone', 'parentEmail:invalid_email', 'language:unknown_language'],
    });
    expect(issues(parse({ ...good, personalCode: '1503162', neededFrom: null })).errors).to.deep.equal(['personalCode:personal_code_format', 'neededFrom:required']);
    expect(issues(parse({ ...good, sector: '' })).errors).to.deep.equal(['sector:required']);
  });

  it('keeps a row whose optional phone or e-mail is wrong, without them', () => {
    const r = parse({ ...good, parentPhone: 'zvanīt vakarā', parentEmail: 'inese(at)example.lv' });
    expect(r.ok).to.equal(true);
    if (r.ok) expect(r.record).to.include({ parentPhone: null, parentEmail: null });
    expect(issues(r).warnings).to.deep.equal(['parentPhone:invalid_phone', 'parentEmail:invalid_email']);
  });

  it('recognises every drop-down label and offers every sector the requests know', () => {
    expect(choiceLists.sector.map((c) => sector(c.en))).to.deep.equal([...sectors]);
    for (const lang of ['lv', 'ru', 'en'] as const) {
      expect(choiceLists.sector.map((c) => sector(c[lang])), lang).to.deep.equal([...sectors]);
      expect(choiceLists.language.map((c) => language(c[lang])), lang).to.deep.equal(['lv', 'ru', 'en']);
    }
  });

  it('finds the header row as offices write it, in each language', () => {
    const required = ['firstName', 'lastName', 'personalCode', 'employer', 'sector', 'neededFrom'];
    const lists: Array<[string[], string[]]> = [
      [
        ['Nr.', 'Vārds', 'Uzvārds', 'Personas kods', 'Vecāka vārds, uzvārds', 'Tālrunis', 'E-pasts', 'Darbavieta', 'Nozare', 'Vajadzīgs no', 'Apkaime', 'Piezīmes'],
        ['firstName', 'lastName', 'personalCode', 'parentName', 'parentPhone', 'parentEmail', 'employer', 'sector', 'neededFrom', 'preferredArea', 'note'],
      ],
      [
        ['Имя ребенка', 'Фамилия ребенка', 'Персональный код', 'ФИО родителя', 'Контактный телефон', 'Язык', 'Место работы', 'Сфера работы', 'Место нужно с', 'Район'],
        ['firstName', 'lastName', 'personalCode', 'parentName', 'parentPhone', 'language', 'employer', 'sector', 'neededFrom', 'preferredArea'],
      ],
      [
        ["Child's first name", "Child's surname", 'Personal code', 'Parent', 'Phone', 'Email', 'Place of work', 'Sector', 'Start date', 'Comment'],
        ['firstName', 'lastName', 'personalCode', 'parentName', 'parentPhone', 'parentEmail', 'employer', 'sector', 'neededFrom', 'note'],
      ],
    ];
    for (const [names, keys] of lists) {
      const m = matchHeaderRow(headerRow(names), kindergartenRequests.fields);
      expect(m, names.join(', ')).to.not.equal(null);
      expect(Object.keys(m!.columns).sort(), names.join(', ')).to.deep.equal([...keys].sort());
      expect(m!.missingRequired).to.deep.equal([]);
      expect(required.every((k) => keys.includes(k))).to.equal(true);
    }
    const noEmployer = matchHeaderRow(headerRow(['Bērna vārds', 'Bērna uzvārds', 'Bērna personas kods', 'Nozare', 'Vajadzīgs no']), kindergartenRequests.fields);
    expect(noEmployer?.missingRequired).to.deep.equal(['employer']);
  });
});
