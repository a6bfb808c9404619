/**
 * Normalising cell values as the exceljs streaming reader yields them in `row.values`: string,
 * number, boolean, Date, null/undefined, rich text, formulas with their cached result, hyperlinks
 * and error values. Hand-made spreadsheets mix all of these within one column.
 */

const dayMs = 86_400_000;
const secondsPerDay = 86_400;

// Zero-width characters and soft hyphens come with copy-paste and are invisible; drop them outright.
const invisible = /[\u200B-\u200D\u2060\u00AD]/gu;

/** Plain text of a cell: rich text joined, formulas by cached result, whitespace tidied. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return tidy(v);
  if (typeof v === 'number') return formatNumber(v);
  // Excel shows booleans as TRUE/FALSE; keep what the user sees.
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return dateToDay(v) ?? '';
  if (typeof v !== 'object') return '';
  const o = v as Record<string, unknown>;
  if ('error' in o) return '';
  if (Array.isArray(o.richText)) return tidy(o.richText.map((run: unknown) => runText(run)).join(''));
  if ('formula' in o || 'sharedFormula' in o) return cellText(o.result);
  // A hyperlink's text may itself be rich text, so recurse rather than read a string.
  if ('text' in o) return cellText(o.text);
  return '';
}

/** A formula's cached result in place of the formula (so numbers typed by formula stay numbers); other cells as they are. */
export function cellScalar(v: unknown): unknown {
  if (v !== null && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)) return (v as { result?: unknown }).result;
  return v;
}

/**
 * Whether a cell shows an Excel error (#N/A, #REF!, …) or holds a formula whose result cannot be
 * read. The streaming reader gives an error cell as `{ error }`; a formula's cached error result it
 * parses as a number, NaN; a formula Excel never calculated (or one exceljs itself wrote with a
 * result of 0 or "") has no result at all. Such a cell is not empty, yet has no value to take.
 */
export function cellShowsError(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if ('error' in v) return true;
  if (!('formula' in v || 'sharedFormula' in v)) return false;
  const result = (v as { result?: unknown }).result;
  return result === undefined || Number.isNaN(result) || cellShowsError(result);
}

/**
 * How a file writes `a/b/yyyy` dates. Latvian settings write dates with dots; slashes come from a
 * computer set up for another country: day first (United Kingdom) or month first (United States),
 * so "2/1/2020" is 2 January or 1 February. Only the file can tell, by a date whose day is over 12
 * (see `SlashDateEvidence`).
 */
export type SlashOrder = 'day-first' | 'month-first';

/**
 * A calendar day `YYYY-MM-DD` from a date, an Excel serial number or date text; null otherwise.
 * A slashed date is read in `slashOrder` unless its own numbers show the order (a part over 12).
 */
export function cellDate(v: unknown, date1904 = false, slashOrder: SlashOrder = 'day-first'): string | null {
  if (v === null || v === undefined || typeof v === 'boolean') return null;
  if (v instanceof Date) return dateToDay(v);
  if (typeof v === 'number') return serialToDay(v, date1904);
  if (typeof v === 'string') return textDate(tidy(v), date1904, slashOrder);
  if (typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if ('error' in o) return null;
  if ('formula' in o || 'sharedFormula' in o) {
    // exceljs records the workbook's date system on formula values; it wins over the caller's guess.
    return cellDate(o.result, typeof o.date1904 === 'boolean' ? o.date1904 : date1904, slashOrder);
  }
  return textDate(cellText(v), date1904, slashOrder);
}

/** The order a slashed date's own numbers show (`a/b/yyyy`): a number over 12 can only be the day. */
function orderShown(a: number, b: number): SlashOrder | null {
  if (a > 12 && b <= 12) return 'day-first';
  if (b > 12 && a <= 12) return 'month-first';
  return null;
}

/** True for a slashed date text that reads as two different days, day first or month first ("2/1/2020"). */
export function ambiguousSlashDate(v: unknown): boolean {
  const m = slashedPattern.exec(cellText(v));
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a !== b && Math.min(a, b) >= 1 && Math.max(a, b) <= 12;
}

// A slashed date anywhere in a text: a part over 12 shows the file's order.
const slashedInText = /(?<![\d/])(\d{1,2})\/(\d{1,2})\/\d{4}(?![\d/])/gu;

/**
 * What a file's slashed dates show of their order, gathered from its text (a .csv's whole text, or
 * a workbook's cell texts one by one). A day over 12 in first place shows day first, in second
 * place month first; a file showing both, or neither, settles nothing.
 */
export class SlashDateEvidence {
  private dayFirst = false;
  private monthFirst = false;

  /** Looks through one whole text: a .csv, or one cell's. */
  feed(text: string): void {
    // Most cells hold no slash; a workbook hands over every string cell it has.
    if (!text.includes('/')) return;
    for (const m of text.matchAll(slashedInText)) {
      const shown = orderShown(Number(m[1]), Number(m[2]));
      // Only a real day counts: 13/0/2020 shows nothing.
      if (!shown || !textToDay(m[0], shown)) continue;
      if (shown === 'day-first') this.dayFirst = true;
      else this.monthFirst = true;
    }
  }

  order(): SlashOrder | null {
    if (this.dayFirst === this.monthFirst) return null;
    return this.dayFirst ? 'day-first' : 'month-first';
  }
}

/** A whole number from a number or numeric text (spaces allowed); null for anything else, e.g. 2.5. */
export function cellInteger(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : null;
  if (v instanceof Date || typeof v === 'boolean') return null;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('formula' in o || 'sharedFormula' in o) return cellInteger(o.result);
  }
  // Spaces (including non-breaking and thin ones) serve as thousands separators in Latvian.
  const s = cellText(v).replace(/\s/gu, '');
  if (!/^[+-]?\d+$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * A phone number as `+371XXXXXXXX` for Latvian numbers (8 digits starting with 2 or 6) and as
 * `+digits` for other international numbers written with `+` or `00`, or as bare digits too long
 * for a Latvian number; null otherwise.
 */
export function normalizePhone(raw: string): string | null {
  const s = raw.replace(invisible, '').replace(/[\s\-\u2010-\u2015().]/gu, '');
  let international: string | null = null;
  if (/^\+\d+$/.test(s)) international = s.slice(1);
  else if (/^00\d+$/.test(s)) international = s.slice(2);
  else if (lostPlus(raw)) international = s;
  else if (!/^\d+$/.test(s)) return null;

  if (international !== null) {
    // A number that claims the Latvian country code must be a valid Latvian number, not "other".
    if (international.startsWith('371')) return latvian(international.slice(3));
    return /^\d{8,15}$/.test(international) ? `+${international}` : null;
  }
  if (s.length === 11 && s.startsWith('371')) return latvian(s.slice(3));
  return latvian(s);
}

/** A lower-cased e-mail address if it looks deliverable (one @, no spaces, a dot in the domain). */
export function normalizeEmail(raw: string): string | null {
  // A hyperlinked address sometimes shows its mailto: target as the text; a full stop typed after
  // the address ends the sentence, not the domain.
  const s = tidy(raw).replace(/^mailto:/iu, '').replace(/\.+$/u, '').toLowerCase();
  const at = s.indexOf('@');
  if (at <= 0 || at !== s.lastIndexOf('@') || /\s/u.test(s)) return null;
  const domain = s.slice(at + 1);
  const labels = domain.split('.');
  if (labels.length < 2 || labels.some((l) => l === '' || l.startsWith('-') || l.endsWith('-'))) return null;
  return s;
}

/**
 * Excel takes `+44 7911 123456` typed without spaces for the number 447911123456 and drops the
 * `+`. A Latvian national number has 8 digits, so a cell of 10 to 15 bare digits (no spaces: those
 * may join two numbers) not starting with 0 can only be an international number. Except when it
 * starts with 2 or 6, as Latvian numbers do: 2612345678 is far likelier a Latvian mobile typed
 * with two digits too many than a number in Madagascar, and a message sent there would reach a
 * stranger; such a cell is refused with a warning for the school to correct.
 */
function lostPlus(raw: string): boolean {
  return /^[13-57-9]\d{9,14}$/.test(raw.replace(invisible, '').trim());
}

// Latvian numbers have 8 digits: mobile ones start with 2, landlines with 6.
function latvian(national: string): string | null {
  return /^[26]\d{7}$/.test(national) ? `+371${national}` : null;
}

function runText(run: unknown): string {
  if (run !== null && typeof run === 'object' && 'text' in run) {
    const text = (run as { text: unknown }).text;
    return typeof text === 'string' ? text : '';
  }
  return '';
}

// JavaScript's \s already covers NBSP, the U+2000 family, U+202F, U+3000 and the BOM.
function tidy(s: string): string {
  return s.replace(invisible, '').replace(/\s+/gu, ' ').trim();
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isSafeInteger(n)) return String(n);
  // Excel keeps 15 significant digits; rounding to them drops binary noise like 0.30000000000000004.
  const value = Number.isInteger(n) ? n : Number(n.toPrecision(15));
  return expandExponent(String(value));
}

/** Writes a number string like `1.5e+21` or `1e-7` out in plain decimal digits. */
function expandExponent(s: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const sign = m[1] ?? '';
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  const exp = Number(m[4]);
  const digits = intPart + fracPart;
  const point = intPart.length + exp;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * exceljs turns a serial into a UTC date rounded to the millisecond, so the day is the UTC day and
 * any time of day is cut off. Float error in the serial can put a plain date at 23:59:59.999 the
 * day before, so the time is first rounded to the second (the finest a typed time goes).
 */
function dateToDay(d: Date): string | null {
  const t = d.getTime();
  if (!Number.isFinite(t)) return null;
  return formatDay(new Date(dayStart(t / 1000)));
}

/** The start (UTC, in ms) of the day a moment given in seconds falls on, rounded to the second. */
function dayStart(seconds: number): number {
  return Math.floor(Math.round(seconds) / secondsPerDay) * dayMs;
}

// The latest day Excel can hold, 9999-12-31, in either date system's serial numbers.
const maxSerial1900 = 2_958_465;
const maxSerial1904 = maxSerial1900 - 1462;

function serialToDay(serial: number, date1904: boolean): string | null {
  if (!Number.isFinite(serial)) return null;
  // The fraction is the time of day; cut it off as dateToDay does, so a date-formatted and a
  // general-formatted cell give the same day.
  const n = dayStart(serial * secondsPerDay) / dayMs;
  if (date1904) {
    if (n < 0 || n > maxSerial1904) return null;
    return formatDay(new Date(Date.UTC(1904, 0, 1) + n * dayMs));
  }
  // Excel counts a 29 February 1900 that never was (serial 60): serials 1..59 start from
  // 1900-01-01, later ones are one day behind, and 60 itself is no real day.
  if (n < 1 || n === 60 || n > maxSerial1900) return null;
  const epoch = n < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  return formatDay(new Date(epoch + n * dayMs));
}

/**
 * Whole numbers in text are serials only within 1900..2100: a .csv saved by Excel writes a date in
 * a General-formatted cell as its serial ("44075"), while other numbers are no dates at all.
 */
const maxTextSerial = 73_415;

function textDate(s: string, date1904: boolean, slashOrder: SlashOrder): string | null {
  return textToDay(s, slashOrder) ?? serialTextToDay(s, date1904);
}

function serialTextToDay(s: string, date1904: boolean): string | null {
  if (!/^\d{1,5}$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= maxTextSerial ? serialToDay(n, date1904) : null;
}

// Optional time after the date ("01.09.2020 08:00", "2020-09-01T00:00:00Z"); it is ignored.
const timePart = String.raw`(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?`;
const dottedPattern = new RegExp(String.raw`^(\d{1,2})\. ?(\d{1,2})\. ?(\d{4}|\d{2})\.?${timePart}$`, 'u');
const slashedPattern = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})${timePart}$`, 'u');
const dashedPattern = new RegExp(String.raw`^(\d{1,2})-(\d{1,2})-(\d{4})${timePart}$`, 'u');
const isoPattern = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})\.?${timePart}$`, 'u');
// Older Windows set up for Latvian writes the short date as "2020.09.01." (the last dot optional).
const yearFirstDottedPattern = new RegExp(String.raw`^(\d{4})\. ?(\d{1,2})\. ?(\d{1,2})\.?${timePart}$`, 'u');

function textToDay(s: string, slashOrder: SlashOrder): string | null {
  const slashed = slashedPattern.exec(s);
  if (slashed) {
    const [a, b] = [Number(slashed[1]), Number(slashed[2])];
    const monthFirst = (orderShown(a, b) ?? slashOrder) === 'month-first';
    return monthFirst ? realDay(Number(slashed[3]), a, b) : realDay(Number(slashed[3]), b, a);
  }
  let m = dottedPattern.exec(s) ?? dashedPattern.exec(s);
  if (m) {
    const yearText = m[3] ?? '';
    // Two-digit years in school lists are this century's (pupils' birth dates, school years).
    const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
    return realDay(year, Number(m[2]), Number(m[1]));
  }
  m = isoPattern.exec(s) ?? yearFirstDottedPattern.exec(s);
  if (m) return realDay(Number(m[1]), Number(m[2]), Number(m[3]));
  return null;
}

function realDay(year: number, month: number, day: number): string | null {
  if (year < 1 || year > 9999) return null;
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0..99 as 1900..1999.
  d.setUTCFullYear(year, month - 1, day);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return formatDay(d);
}

function formatDay(d: Date): string | null {
  const y = d.getUTCFullYear();
  if (!Number.isFinite(y) || y < 1 || y > 9999) return null;
  return `${String(y).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}
