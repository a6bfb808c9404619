import { normalizeHeader } from '../headers.ts';

/** Word lists from the product description; matched case-, space- and diacritics-insensitively. */
const deviceWords: Record<'laptop' | 'tablet', string[]> = {
  laptop: ['portatīvais dators', 'klēpjdators', 'dators', 'laptop', 'ноутбук', 'компьютер', 'portatīvais'],
  tablet: ['planšete', 'planšetdators', 'tablet', 'планшет'],
};
const languageWords: Record<'lv' | 'ru' | 'en', string[]> = {
  lv: ['lv', 'latviešu', 'латышский', 'latvian', 'latviski', 'по-латышски'],
  ru: ['ru', 'krievu', 'русский', 'russian', 'krieviski', 'по-русски'],
  en: ['en', 'angļu', 'english', 'английский', 'angliski', 'по-английски'],
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

/**
 * Words that only say what a value is about ("valoda", "язык", "statuss", "ģimenes"); they are left
 * out before matching, so "Krievu valoda" reads as "krievu" and "trūcīgas ģimenes statuss" as "trūcīgas".
 */
const languageFiller = ['valoda', 'valodā', 'valodu', 'val', 'язык', 'языке', 'language'];
const statusFiller = ['statuss', 'statusu', 'status', 'статус', 'статуса', 'ģimene', 'ģimenes', 'семья', 'семьи', 'family'];
const sectorFiller = ['nozare', 'nozarē', 'отрасль', 'sector'];

/**
 * Latvian and Russian case endings as normalizeHeader leaves them (no diacritics, й as и), longest
 * first, so "portatīvo datoru" and "portatīvais dators", "planšeti" and "planšete" share stems.
 */
const endings = [
  ...['ajiem', 'ajam', 'ajai', 'ajos', 'ajas', 'iem', 'ais', 'aja', 'ajo', 'am', 'em', 'im', 'um', 'os', 'as', 'es', 'is', 'us', 'ai', 'ei', 'ie', 'a', 'e', 'i', 'o', 'u', 's'],
  ...['ого', 'его', 'ому', 'ему', 'ыми', 'ими', 'ии', 'ыи', 'ая', 'яя', 'ое', 'ее', 'ые', 'ие', 'ых', 'их', 'ую', 'юю', 'ом', 'ем', 'ои', 'а', 'я', 'о', 'е', 'ы', 'и', 'у', 'ю'],
].sort((a, b) => b.length - a.length);

// Shorter stems than this say too little to tell words apart ("cits" stays "cits").
const minStem = 4;

function stem(word: string): string {
  for (const e of endings) if (word.endsWith(e) && word.length - e.length >= minStem) return word.slice(0, -e.length);
  return word;
}

/** The words of a value: remarks in parentheses ("planšete (iPad)") and filler words left out. */
function words(raw: string, filler: Set<string>): string[] {
  const outside = raw.replace(/\([^()]*\)|\[[^\]]*\]/gu, ' ');
  // A value that is all remark ("(iPad)") is read whole.
  const text = normalizeHeader(outside) || normalizeHeader(raw);
  return text.split(' ').filter((w) => w !== '' && !filler.has(w));
}

const ambiguous = Symbol('ambiguous');

/** Forms to keys; a form two keys share belongs to neither, so it is never guessed. */
class Forms<K extends string> {
  private readonly byForm = new Map<string, K | typeof ambiguous>();
  add(form: string, key: K): void {
    const had = this.byForm.get(form);
    this.byForm.set(form, had === undefined || had === key ? key : ambiguous);
  }
  get(form: string): K | null | undefined {
    const key = this.byForm.get(form);
    return key === ambiguous ? null : key;
  }
}

/**
 * A lookup from a value to its key, built once (it runs for every cell): the value as written,
 * then its words without filler, then those words' stems, so "Krievu valoda", "portatīvo datoru"
 * and "trūcīgas ģimenes statuss" are recognised. Null when nothing matches or two keys would.
 */
function lookup<K extends string>(table: Record<K, string[]>, fillerWords: string[] = []): (raw: string) => K | null {
  const filler = new Set(fillerWords.map(normalizeHeader));
  const whole = new Map<string, K>();
  const bare = new Forms<K>();
  const stemmed = new Forms<K>();
  for (const [key, list] of Object.entries(table) as Array<[K, string[]]>) {
    for (const w of list) {
      whole.set(normalizeHeader(w), key);
      const ws = words(w, filler);
      bare.add(ws.join(' '), key);
      stemmed.add(ws.map(stem).join(' '), key);
    }
  }
  return (raw) => {
    const exact = whole.get(normalizeHeader(raw));
    if (exact) return exact;
    const ws = words(raw, filler);
    if (ws.length === 0) return null;
    const plain = bare.get(ws.join(' '));
    if (plain !== undefined) return plain;
    return stemmed.get(ws.map(stem).join(' ')) ?? null;
  };
}

export const deviceType = lookup(deviceWords);
export const language = lookup(languageWords, languageFiller);
export const familyStatus = lookup(statusWords, statusFiller);
export const deliveryMethod = lookup(deliveryWords);
export const sector = lookup(sectorWords, sectorFiller);

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
