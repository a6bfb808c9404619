import { expect } from 'chai';
import { choiceLists, deliveryMethod, deviceType, familyStatus, language, sector } from '../../../imports/kinds/words.ts';
import { rowParser, type ParsedRow } from '../../../imports/kinds/index.ts';
import { deviceNeeds } from '../../../imports/kinds/deviceNeeds.ts';
import { foodEntitlements } from '../../../imports/kinds/foodEntitlements.ts';

const ctx = { date1904: false, today: '2021-04-15' };
const issues = <T>(r: ParsedRow<T>) => ({
  errors: r.ok ? [] : r.errors.map((e) => `${e.field}:${e.code}`),
  warnings: r.warnings.map((w) => `${w.field}:${w.code}`),
});

function expectAll<K>(lookup: (raw: string) => K | null, cases: Array<[string, K | null]>): void {
  for (const [raw, key] of cases) expect(lookup(raw), raw).to.equal(key);
}

describe('choice words as people write them', () => {
  it('recognise a language named with the word for language, as an adverb or as a code', () => {
    expectAll(language, [
      ['Krievu valoda', 'ru'],
      ['krievu val.', 'ru'],
      ['krieviski', 'ru'],
      ['Русский язык', 'ru'],
      ['русский', 'ru'],
      ['по-русски', 'ru'],
      ['latviešu valoda', 'lv'],
      ['latviešu valodā', 'lv'],
      ['latviski', 'lv'],
      ['angļu valoda', 'en'],
      ['English language', 'en'],
      ['RU', 'ru'],
      ['LV', 'lv'],
      ['EN', 'en'],
    ]);
  });

  it('recognise devices in other cases and with a remark in parentheses', () => {
    expectAll(deviceType, [
      ['planšeti', 'tablet'],
      ['planšetes', 'tablet'],
      ['datoru', 'laptop'],
      ['planšete (iPad)', 'tablet'],
      ['portatīvo datoru', 'laptop'],
      ['Portatīvais dators.', 'laptop'],
      ['planšetdatoru', 'tablet'],
      ['ноутбука', 'laptop'],
      ['Laptops', 'laptop'],
    ]);
  });

  it('recognise a family status written with "family" and "status" around it', () => {
    expectAll(familyStatus, [
      ['trūcīgas ģimenes statuss', 'poor'],
      ['maznodrošinātas ģimenes statuss', 'low_income'],
      ['Trūcīgā ģimene', 'poor'],
      ['trūcīgie', 'poor'],
      ['малоимущие', 'poor'],
      ['статус малообеспеченной семьи', 'low_income'],
    ]);
  });

  it('recognise sectors and delivery in other cases too', () => {
    expectAll(sector, [
      ['policijā', 'police'],
      ['veselības aprūpes nozare', 'health'],
      ['citā nozarē', 'other'],
    ]);
    expectAll(deliveryMethod, [['Skolā', 'pickup'], ['piegāde mājās', 'home']]);
  });

  it('never guess: two meanings, filler alone or unknown words stay unrecognised', () => {
    expectAll(language, [['krievu/latviešu', null], ['krievu un latviešu valoda', null], ['valoda', null], ['klingoņu', null], ['(krievu) latviešu', 'lv']]);
    expectAll(deviceType, [['dators vai planšete', null], ['velosipēds', null], ['()', null]]);
    expectAll(familyStatus, [['trūcīga vai maznodrošināta', null], ['ģimenes statuss', null], ['bagāta', null]]);
  });

  it('still recognise every drop-down label of the templates', () => {
    for (const lang of ['lv', 'ru', 'en'] as const) {
      expect(choiceLists.language.map((c) => language(c[lang])), lang).to.deep.equal(['lv', 'ru', 'en']);
      expect(choiceLists.deviceType.map((c) => deviceType(c[lang])), lang).to.deep.equal(['laptop', 'tablet']);
      expect(choiceLists.status.map((c) => familyStatus(c[lang])), lang).to.deep.equal(['poor', 'low_income']);
      expect(choiceLists.deliveryMethod.map((c) => deliveryMethod(c[lang])), lang).to.deep.equal(['pickup', 'home']);
    }
  });

  it('give a row the language written there instead of Latvian with a warning', () => {
    const parse = rowParser(deviceNeeds, ctx);
    const good = { class: '5.a', firstName: 'Ivans', lastName: 'Petrovs', personalCode: '020307-20404', deviceType: 'planšeti' };
    const r = parse({ ...good, language: 'Krievu valoda' });
    expect(issues(r)).to.deep.equal({ errors: [], warnings: [] });
    expect(r.ok && [r.record.language, r.record.deviceType]).to.deep.equal(['ru', 'tablet']);
    expect(issues(parse({ ...good, language: 'krievu/latviešu' })).warnings).to.deep.equal(['language:unknown_language']);
  });

  it('keep the first of two phones or e-mails in the row itself, with the warning', () => {
    const parse = rowParser(deviceNeeds, ctx);
    const r = parse({ class: '5.a', firstName: 'Ivans', lastName: 'Petrovs', personalCode: '020307-20404', deviceType: 'planšete', guardianPhone: '26123456, 29123456', guardianEmail: 'a@x.lv; b@x.lv' });
    expect(issues(r)).to.deep.equal({ errors: [], warnings: ['guardianPhone:only_first_kept', 'guardianEmail:only_first_kept'] });
    expect(r.ok && [r.record.guardianPhone, r.record.guardianEmail]).to.deep.equal(['+37126123456', 'a@x.lv']);
  });

  it('accept a status written out in full', () => {
    const parse = rowParser(foodEntitlements, ctx);
    const r = parse({ personalCode: '020307-20404', firstName: 'A', lastName: 'B', status: 'trūcīgas ģimenes statuss', validFrom: '01.09.2020', validTo: '31.12.2020' });
    expect(r.ok && r.record.status).to.equal('poor');
  });
});
