import fs from 'node:fs';
import path from 'node:path';
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

  it('has every key the code names literally', () => {
    // Keys written whole in the source (`t('status.title')`, `t(\`children.page.who\`)`); keys
    // built from a value are checked by the page tests that render every status.
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(path.resolve(import.meta.dirname, '../../src'));
    const missing = new Set<string>();
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      // A view's prefix constant (`const k = 'children.page';`) used as `${k}.who`.
      const prefix = /const k = '([a-z][\w.]*)';/.exec(text)?.[1];
      for (const m of text.matchAll(/\bt\((['`])([a-zA-Z][\w.]*|\$\{k\}\.[\w.]+)\1/g)) {
        const key = m[2]!.startsWith('${k}') ? (prefix ? prefix + m[2]!.slice(4) : null) : m[2]!;
        if (key && key.includes('.') && !flat.lv!.has(key)) missing.add(`${path.basename(file)}: ${key}`);
      }
    }
    expect([...missing], 'keys used in the code but in no catalogue').to.deep.equal([]);
  });

  it('defaults to Latvian and translates in the chosen language', () => {
    expect(toLang('de')).to.equal('lv');
    expect(toLang(undefined)).to.equal('lv');
    expect(translator('ru')('nav.signIn')).to.equal('Войти');
    expect(translator('en')('dashboard.welcome', { name: '<b>' })).to.equal('Hello, <b>!');
  });
});
