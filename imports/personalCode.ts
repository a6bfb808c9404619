/**
 * Latvian personal codes as people type them into spreadsheets.
 *
 * Old form `DDMMYY-CNNNK`: a birth date, a century digit and a check digit. New form (issued since
 * July 2017) `32NNNN-NNNNN`: no date, no check digit. An old code can never start with 32 (there is
 * no 32nd day), so the prefix alone tells the forms apart.
 */

export type PersonalCode = { code: string; form: 'old' | 'new'; birthDate: string | null };

export type PersonalCodeResult =
  | { ok: true; value: PersonalCode }
  | { ok: false; reason: 'missing' | 'format' | 'check_digit' | 'date' };

const weights = [1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;

// The century digit C is the seventh digit; anything else than 0/1/2 is not a code at all.
const centuries: Record<string, number> = { '0': 1800, '1': 1900, '2': 2000 };

// Spreadsheets carry non-breaking, thin and zero-width spaces from copy-paste; none belong to a code.
const invisible = /[\s\u200B-\u200D\u2060\u00AD]/gu;

// Word processors turn the dash into a typographic one; any of these is the separator.
const dashes = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/gu;

/** Parses a personal code typed as text (dash and spaces optional) or as a number. */
export function parsePersonalCode(raw: unknown): PersonalCodeResult {
  const digits = toDigits(raw);
  if (digits === null) return { ok: false, reason: 'missing' };
  if (!/^\d{11}$/.test(digits)) return { ok: false, reason: 'format' };
  const code = `${digits.slice(0, 6)}-${digits.slice(6)}`;
  if (digits.startsWith('32')) return { ok: true, value: { code, form: 'new', birthDate: null } };

  const century = centuries[digits.charAt(6)];
  if (century === undefined) return { ok: false, reason: 'format' };
  const day = Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  const year = century + Number(digits.slice(4, 6));
  if (!isRealDate(year, month, day)) return { ok: false, reason: 'date' };
  if (checkDigit(digits) !== Number(digits.charAt(10))) return { ok: false, reason: 'check_digit' };
  const birthDate = `${year}-${pad2(month)}-${pad2(day)}`;
  return { ok: true, value: { code, form: 'old', birthDate } };
}

/** Masks a personal code for logs and messages: `010106-2****`. */
export function maskPersonalCode(code: string): string {
  // Mask even codes that failed validation, so error messages never echo a whole code.
  let compact = code.replace(invisible, '').replace(dashes, '-');
  if (/^\d{11}$/.test(compact)) compact = `${compact.slice(0, 6)}-${compact.slice(6)}`;
  return `${compact.slice(0, 8)}****`;
}

/**
 * The bare digits (with the dash taken out when it sits between the date and the rest), or null
 * when nothing was given. Anything malformed is passed through so the caller reports 'format'.
 */
function toDigits(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw) || raw < 0) return 'x';
    const s = String(raw);
    // Excel drops the leading zero of a code typed as a number (010106... becomes 10106...).
    return s.length === 10 ? `0${s}` : s;
  }
  if (typeof raw !== 'string') return 'x';
  // A full stop typed after the code ends the sentence; it is no part of the code.
  const s = raw.replace(invisible, '').replace(dashes, '-').replace(/\.+$/u, '');
  if (s === '') return null;
  // A code Excel took for a number loses its leading zero, also when the number is then saved as
  // text in a .csv (1011021005, 10110-21005). The date and the check digit of the padded code
  // still have to hold, so a code missing some other digit is still almost always refused.
  const m = /^(\d{5,6})-?(\d{5})$/.exec(s);
  return m ? `${(m[1] ?? '').padStart(6, '0')}${m[2]}` : s;
}

function checkDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (weights[i] ?? 0) * Number(digits.charAt(i));
  // The sum is at most 9·55, so 1101 - sum stays positive and % is a true modulo. A result of 10
  // cannot equal any single digit, so such codes are never valid.
  return (1101 - sum) % 11;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
