import type { Lang } from '../i18n/index.ts';
import { rigaTimeZone } from '../shared/dates.ts';

const locales: Record<Lang, string> = { lv: 'lv-LV', ru: 'ru-RU', en: 'en-GB' };

/** A moment in the reader's locale, on Riga's clock. */
export function formatDateTime(iso: string | Date, lang: Lang): string {
  return new Intl.DateTimeFormat(locales[lang], { timeZone: rigaTimeZone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
}

/** A time of day in the reader's locale, on Riga's clock. */
export function formatTime(iso: string | Date, lang: Lang): string {
  return new Intl.DateTimeFormat(locales[lang], { timeZone: rigaTimeZone, timeStyle: 'medium' }).format(new Date(iso));
}

/** A calendar day (YYYY-MM-DD) in the reader's locale; no clock, so no time zone can shift it. */
export function formatDay(day: string, lang: Lang): string {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return day;
  return new Intl.DateTimeFormat(locales[lang], { timeZone: 'UTC', dateStyle: 'medium' }).format(new Date(Date.UTC(y, m - 1, d)));
}

const numberFormats = new Map<Lang, Intl.NumberFormat>();

/** A whole number in the reader's locale (`12 345` in Latvian and Russian, `12,345` in English). */
export function formatNumber(n: number, lang: Lang): string {
  let f = numberFormats.get(lang);
  if (!f) numberFormats.set(lang, (f = new Intl.NumberFormat(locales[lang])));
  return f.format(n);
}
