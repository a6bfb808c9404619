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
