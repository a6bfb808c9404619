import { expect } from 'chai';
import { languages, loadCatalogue, toLang, translator } from '../../src/i18n/index.ts';

function flatten(obj: Record<string, unknown>, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') for (const [kk, vv] of flatten(v as Record<string, unknown>, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('catalogues: Latvian first, Russian and English complete', () => {
  const flat = Object.fromEntries(languages.map((l) => [l, flatten(loadCatalogue(l))]));

  for (const lang of languages) {
    it(`${lang} has exactly the keys the others have, none empty, with the same placeholders`, () => {
      for (const other of languages) {
        const missing = [...flat[other]!.keys()].filter((k) => !flat[lang]!.has(k));
        expect(missing, `keys in ${other} missing from ${lang}`).to.deep.equal([]);
      }
      for (const [key, value] of flat[lang]!) {
        expect(value, `${lang}:${key}`).to.be.a('string').that.is.not.empty;
        expect(placeholders(value as string), `${lang}:${key} placeholders`).to.deep.equal(placeholders(flat.lv!.get(key) as string));
      }
    });
  }

  it('defaults to Latvian and translates in the chosen language', () => {
    expect(toLang('de')).to.equal('lv');
    expect(toLang(undefined)).to.equal('lv');
    expect(translator('ru')('nav.signIn')).to.equal('Войти');
    expect(translator('en')('dashboard.welcome', { name: '<b>' })).to.equal('Hello, <b>!');
  });
});
