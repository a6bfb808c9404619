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

/** A lookup from any word's normalised form to its key, built once (it runs for every cell). */
function lookup<K extends string>(table: Record<K, string[]>): (raw: string) => K | null {
  const byWord = new Map<string, K>();
  for (const [key, words] of Object.entries(table) as Array<[K, string[]]>) for (const w of words) byWord.set(normalizeHeader(w), key);
  return (raw) => byWord.get(normalizeHeader(raw)) ?? null;
}

export const deviceType = lookup(deviceWords);
export const language = lookup(languageWords);
export const familyStatus = lookup(statusWords);
export const deliveryMethod = lookup(deliveryWords);

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
