import { normalizeHeader } from '../headers.ts';

/** Word lists from the product description; matched case-, space- and diacritics-insensitively. */
const deviceWords: Record<'laptop' | 'tablet', string[]> = {
  laptop: ['portatīvais dators', 'klēpjdators', 'dators', 'laptop', 'ноутбук', 'компьютер', 'portatīvais'],
  tablet: ['planšete', 'planšetdators', 'tablet', 'планшет'],
};
const languageWords: Record<'lv' | 'ru' | 'en', string[]> = {
  lv: ['lv', 'latviešu', 'латышский', 'latvian'],
  ru: ['ru', 'krievu', 'русский', 'russian'],
  en: ['en', 'angļu', 'english', 'английский'],
};
const statusWords: Record<'poor' | 'low_income', string[]> = {
  poor: ['trūcīga', 'trūcīgā ģimene', 'trūcīgs', 'малоимущая', 'poor'],
  low_income: ['maznodrošināta', 'maznodrošinātā ģimene', 'maznodrošināts', 'малообеспеченная', 'low-income', 'low income'],
};
const deliveryWords: Record<'pickup' | 'home', string[]> = {
  pickup: ['skolā', 'saņemšana skolā', 'pickup', 'pickup at school', 'в школе', 'самовывоз'],
  home: ['mājās', 'piegāde', 'piegāde mājās', 'home', 'home delivery', 'доставка', 'доставка домой'],
};

function lookup<K extends string>(table: Record<K, string[]>, raw: string): K | null {
  const n = normalizeHeader(raw);
  if (!n) return null;
  for (const [key, words] of Object.entries(table) as Array<[K, string[]]>) {
    if (words.some((w) => normalizeHeader(w) === n)) return key;
  }
  return null;
}

export const deviceType = (raw: string) => lookup(deviceWords, raw);
export const language = (raw: string) => lookup(languageWords, raw);
export const familyStatus = (raw: string) => lookup(statusWords, raw);
export const deliveryMethod = (raw: string) => lookup(deliveryWords, raw);

/** Template drop-down choices per language (the first word of each list is the canonical one). */
export const choiceLists = {
  deviceType: [
    { lv: 'Portatīvais dators', ru: 'Ноутбук', en: 'Laptop' },
    { lv: 'Planšete', ru: 'Планшет', en: 'Tablet' },
  ],
  language: [
    { lv: 'latviešu', ru: 'латышский', en: 'Latvian' },
    { lv: 'krievu', ru: 'русский', en: 'Russian' },
    { lv: 'angļu', ru: 'английский', en: 'English' },
  ],
  status: [
    { lv: 'trūcīga', ru: 'малоимущая', en: 'poor' },
    { lv: 'maznodrošināta', ru: 'малообеспеченная', en: 'low-income' },
  ],
  deliveryMethod: [
    { lv: 'skolā', ru: 'в школе', en: 'pickup at school' },
    { lv: 'piegāde mājās', ru: 'доставка домой', en: 'home delivery' },
  ],
};
