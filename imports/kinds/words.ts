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
const sectorWords: Record<'health' | 'police' | 'retail' | 'utilities' | 'social_care' | 'transport' | 'other', string[]> = {
  health: ['veselības aprūpe', 'veselība', 'veselības nozare', 'medicīna', 'ārstniecība', 'slimnīca', 'здравоохранение', 'медицина', 'больница', 'health care', 'health', 'healthcare', 'medical'],
  police: ['policija', 'valsts policija', 'pašvaldības policija', 'полиция', 'police'],
  retail: ['tirdzniecība', 'mazumtirdzniecība', 'veikals', 'pārtikas veikals', 'торговля', 'розничная торговля', 'магазин', 'retail', 'shop', 'trade'],
  utilities: ['komunālie pakalpojumi', 'komunālā saimniecība', 'komunālie', 'коммунальные услуги', 'коммунальное хозяйство', 'utilities', 'public utilities'],
  social_care: ['sociālā aprūpe', 'sociālais darbs', 'sociālie pakalpojumi', 'социальный уход', 'социальная помощь', 'социальная работа', 'social care', 'social work', 'social services'],
  transport: ['transports', 'sabiedriskais transports', 'транспорт', 'общественный транспорт', 'transport', 'public transport'],
  other: ['cita nozare', 'cita', 'cits', 'другое', 'другая', 'other'],
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
export const sector = lookup(sectorWords);

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
  sector: [
    { lv: 'veselības aprūpe', ru: 'здравоохранение', en: 'health care' },
    { lv: 'policija', ru: 'полиция', en: 'police' },
    { lv: 'tirdzniecība', ru: 'торговля', en: 'retail' },
    { lv: 'komunālie pakalpojumi', ru: 'коммунальные услуги', en: 'utilities' },
    { lv: 'sociālā aprūpe', ru: 'социальный уход', en: 'social care' },
    { lv: 'transports', ru: 'транспорт', en: 'transport' },
    { lv: 'cita nozare', ru: 'другое', en: 'other' },
  ],
};
