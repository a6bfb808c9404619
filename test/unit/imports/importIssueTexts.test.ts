import { expect } from 'chai';
import { languages, loadCatalogue } from '../../../src/i18n/index.ts';

const issueText = (lang: (typeof languages)[number], code: string): string => {
  const imports = (loadCatalogue(lang) as { imports: { issues: Record<string, string> } }).imports;
  return imports.issues[code] ?? '';
};

describe('import issue texts for spreadsheet slips', () => {
  for (const code of ['formula_error', 'only_first_kept', 'date_out_of_range', 'unknown_language']) {
    it(`${code} is written in each language and names the column`, () => {
      const [lv, ru, en] = (['lv', 'ru', 'en'] as const).map((lang) => issueText(lang, code));
      for (const text of [lv, ru, en]) expect(text).to.include('{{column}}');
      expect(lv).to.not.equal(en);
      expect(ru).to.not.equal(en);
      expect(ru).to.match(/[а-я]/u);
      expect(lv).to.match(/[āēīūčšžļķņģ]/u);
    });
  }

  it('says what the language falls back to and that a record already stored keeps its own', () => {
    expect(issueText('en', 'unknown_language')).to.include('Latvian').and.include('keeps');
    expect(issueText('lv', 'unknown_language')).to.include('latviešu').and.include('paliek');
    expect(issueText('ru', 'unknown_language')).to.include('латышский').and.include('остаётся');
  });
});
