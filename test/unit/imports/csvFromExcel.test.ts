import { expect } from 'chai';
import { parseCsv } from '../../../imports/csv.ts';
import { rowParser, type KindSpec, type ParsedRow } from '../../../imports/kinds/index.ts';
import { deviceNeeds } from '../../../imports/kinds/deviceNeeds.ts';
import { foodEntitlements } from '../../../imports/kinds/foodEntitlements.ts';

const ctx = { date1904: false, today: '2021-04-15' };
const issues = <T>(r: ParsedRow<T>) => ({
  errors: r.ok ? [] : r.errors.map((e) => `${e.field}:${e.code}`),
  warnings: r.warnings.map((w) => `${w.field}:${w.code}`),
});

/** The data lines of a .csv (columns holding `keys`), parsed by the kind as an import parses its rows. */
function parseFile<T>(spec: KindSpec<T>, keys: string[], lines: string[]): Array<ParsedRow<T>> {
  const parse = rowParser(spec, ctx);
  return [...parseCsv(lines.join('\r\n'))].map((row) => parse(Object.fromEntries(keys.map((key, i) => [key, row.values[i + 1]]))));
}

const pupilColumns = ['class', 'firstName', 'lastName', 'personalCode', 'deviceType', 'guardianPhone'];

// 010110-21005 is a valid code whose leading zero Excel drops when it takes the code for a number.
describe('.csv saved from Excel', () => {
  it('unwraps values written as ="…" to keep them text', () => {
    const [row] = [...parseCsv('Personas kods;Tālrunis;Piezīmes;Tukšs\r\n="010110-21005";="26123456";"=""a""""b""";=""\r\n')].slice(1);
    expect(row!.values.slice(1)).to.deep.equal(['010110-21005', '26123456', 'a"b', '']);
  });

  it('leaves other formulas and text that merely holds quotes as they are', () => {
    const [row] = [...parseCsv('A;B;C\r\n="a"&"b";=A1;x="y"\r\n')].slice(1);
    expect(row!.values.slice(1)).to.deep.equal(['="a"&"b"', '=A1', 'x="y"']);
  });

  it('skips a row whose every cell is an empty ="" like a blank row', () => {
    expect([...parseCsv('A;B\r\n="";=""\r\n1;2\r\n')].map((r) => r.rowNumber)).to.deep.equal([1, 3]);
  });

  it('reads a personal code and a phone kept as ="…" text', () => {
    const [r] = parseFile(deviceNeeds, pupilColumns, ['5.a;Anna;Bērziņa;="010110-21005";Planšete;="26123456"']);
    expect(issues(r!)).to.deep.equal({ errors: [], warnings: [] });
    expect(r!.ok && [r!.record.personalCode.code, r!.record.guardianPhone]).to.deep.equal(['010110-21005', '+37126123456']);
  });

  it('restores the leading zero of a personal code saved as number text, with or without the dash', () => {
    const rows = parseFile(deviceNeeds, pupilColumns, ['5.a;Anna;Bērziņa;1011021005;Planšete;', '5.b;Jānis;Bērziņš;10110-21005;dators;', '5.c;Ints;Ozols;10110-21006;dators;']);
    expect(rows.map((r) => (r.ok ? r.record.personalCode.code : issues(r).errors[0]))).to.deep.equal(['010110-21005', '010110-21005', 'personalCode:personal_code_check_digit']);
  });

  it('reads a foreign phone whose + Excel dropped', () => {
    const [r] = parseFile(deviceNeeds, pupilColumns, ['5.a;Anna;Bērziņa;010110-21005;Planšete;37061234567']);
    expect(issues(r!).warnings).to.deep.equal([]);
    expect(r!.ok && r!.record.guardianPhone).to.equal('+37061234567');
  });

  it('reads dates that Excel wrote as serial numbers', () => {
    const [r] = parseFile(foodEntitlements, ['personalCode', 'firstName', 'lastName', 'status', 'validFrom', 'validTo'], ['010110-21005;Anna;Bērziņa;trūcīga;44075;44196']);
    expect(issues(r!).errors).to.deep.equal([]);
    expect(r!.ok && [r!.record.validFrom, r!.record.validTo]).to.deep.equal(['2020-09-01', '2020-12-31']);
  });
});
