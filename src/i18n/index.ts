import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type TFunction } from 'i18next';

/** Latvian first; Russian and English complete (a test compares the catalogues key by key). */
export const languages = ['lv', 'ru', 'en'] as const;
export type Lang = (typeof languages)[number];
export const defaultLanguage: Lang = 'lv';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'locales');

/** Reads one catalogue from disk. */
export function loadCatalogue(lang: Lang): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(dir, `${lang}.json`), 'utf8')) as Record<string, unknown>;
}

const instance = i18next.createInstance();
void instance.init({
  initAsync: false,
  showSupportNotice: false,
  lng: defaultLanguage,
  fallbackLng: defaultLanguage,
  supportedLngs: [...languages],
  // Views escape every interpolated value themselves (web/html.ts), so i18next must not do it twice.
  interpolation: { escapeValue: false },
  resources: Object.fromEntries(languages.map((l) => [l, { translation: loadCatalogue(l) }])),
});

/** Narrows any input to a supported language, falling back to Latvian. */
export function toLang(value: unknown): Lang {
  return languages.includes(value as Lang) ? (value as Lang) : defaultLanguage;
}

/** A translator bound to one language. */
export function translator(lang: Lang): TFunction {
  return instance.getFixedT(lang);
}

export type { TFunction };
