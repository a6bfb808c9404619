/**
 * zod schemas for single cells as the streaming reader yields them. Each turns one raw cell into a
 * clean value, or fails with a stable code as the issue message (an i18n key under
 * `imports.issues.`). Optional fields never fail: a present but invalid value becomes `Dropped`,
 * which the row parser turns into a warning and a null (or the part of the value `kept`), so the
 * row is kept without it.
 */

import { z } from 'zod';
import { ambiguousSlashDate, cellDate, cellInteger, cellScalar, cellShowsError, cellText, normalizeEmail, normalizePhone, type SlashOrder } from '../cells.ts';
import { parsePersonalCode } from '../personalCode.ts';

/**
 * What one row's schema depends on: the workbook's date system, today's date in Riga, and the
 * order the file's slashed dates were shown to have (absent or null: not shown, so a slashed date
 * that reads both ways is refused rather than guessed).
 */
export type RowContext = { date1904: boolean; today: string; slashDates?: SlashOrder | null };

/**
 * A present but invalid optional value, reported with `code` and left out of the record, or
 * replaced by `kept` when part of it could be used (the first of two phone numbers in one cell).
 */
export class Dropped {
  // A private member makes the type nominal: values that merely have a `code` are not Dropped.
  private readonly dropped = true;
  readonly code: string;
  readonly kept: string | null;
  constructor(code: string, kept: string | null = null) {
    this.code = code;
    this.kept = kept;
  }
}

type Ctx = { addIssue(issue: { code: 'custom'; message: string }): void };

/** Fails the field with a stable code (the issue's message). */
export function fail(ctx: Ctx, code: string): never {
  ctx.addIssue({ code: 'custom', message: code });
  return z.NEVER;
}

// Real dates and serial numbers render as text too, but a cell holding one is never blank.
const blank = (v: unknown) => cellText(v) === '' && !(cellScalar(v) instanceof Date) && typeof cellScalar(v) !== 'number';

/** The code a required cell fails with when it has no value: empty, or showing a formula error. */
const missing = (v: unknown) => (cellShowsError(v) ? 'formula_error' : 'required');

/**
 * An optional cell showing an error value: #N/A pasted as a value, or a formula whose cached
 * result is an error (a VLOOKUP that found no guardian's phone), which the streaming reader gives
 * as NaN. A formula without any cached result is read as empty instead, as a cell is whose formula
 * gives "" (templates fill whole columns with such formulas).
 */
const errorValue = (v: unknown) => {
  const value = cellScalar(v);
  if (typeof value === 'number') return Number.isNaN(value);
  return value !== null && typeof value === 'object' && 'error' in value;
};

/** Text that must be there. */
export const requiredText = () => z.any().transform((v, ctx) => cellText(v) || fail(ctx, missing(v)));

/** Text that may be left empty (null then). */
export const optionalText = () =>
  z.any().transform((v): string | null | Dropped => (errorValue(v) ? new Dropped('formula_error') : cellText(v) || null));

/** A Latvian personal code in either form, typed as text or as a number. */
export const personalCode = () =>
  z.any().transform((v, ctx) => {
    const raw = cellScalar(v);
    const result = parsePersonalCode(typeof raw === 'number' ? raw : cellText(raw) || null);
    if (result.ok) return result.value;
    return fail(ctx, result.reason === 'missing' ? missing(v) : `personal_code_${result.reason}`);
  });

/** One of a few values recognised from words in any of the three languages; must be there. */
export const requiredChoice = <K extends string>(lookup: (raw: string) => K | null, unknownCode: string) =>
  z.any().transform((v, ctx): K => {
    const s = cellText(v);
    if (!s) return fail(ctx, missing(v));
    return lookup(s) ?? fail(ctx, unknownCode);
  });

/** An optional choice: null when empty, Dropped when not recognised. */
export const optionalChoice = <K extends string>(lookup: (raw: string) => K | null, unknownCode: string) =>
  z.any().transform((v): K | null | Dropped => {
    if (errorValue(v)) return new Dropped('formula_error');
    const s = cellText(v);
    if (!s) return null;
    return lookup(s) ?? new Dropped(unknownCode);
  });

// Punctuation separates several phone numbers in one cell; spaces are tried only after it, as they
// also group the digits of one number ("+44 7911 123456, 26123456").
const phoneSeparators = /[,;/\\|]/u;
// An e-mail address has no spaces, so spaces separate addresses as well.
const emailSeparators = /[,;/\\|\s]+/u;

/**
 * One contact from a cell that should hold one: the whole text when it is valid; the first of
 * several valid ones ("26123456, 29123456", "26123456 vai 29123456"), kept with a warning that the
 * others were left out; otherwise Dropped with `invalidCode`.
 */
function oneContact(v: unknown, normalize: (raw: string) => string | null, separators: RegExp, invalidCode: string): string | null | Dropped {
  if (errorValue(v)) return new Dropped('formula_error');
  const s = cellText(v);
  if (!s) return null;
  const whole = normalize(s);
  if (whole) return whole;
  const [first] = severalValid(s, normalize, separators);
  return first ? new Dropped('only_first_kept', first) : new Dropped(invalidCode);
}

/** The valid contacts in a cell when it lists two or more; none otherwise, so one contact with a remark ("mob. 26123456") stays invalid. */
function severalValid(s: string, normalize: (raw: string) => string | null, separators: RegExp): string[] {
  for (const separator of [separators, /\s+/u]) {
    const valid = s.split(separator).flatMap((part) => normalize(part) ?? []);
    if (valid.length > 1) return valid;
  }
  return [];
}

/** A phone in `+371…` form (or another country's `+…`); Dropped when it cannot be one. */
export const optionalPhone = () => z.any().transform((v) => oneContact(v, normalizePhone, phoneSeparators, 'invalid_phone'));

/** A lower-cased e-mail address; Dropped when it cannot be one. */
export const optionalEmail = () => z.any().transform((v) => oneContact(v, normalizeEmail, emailSeparators, 'invalid_email'));

/** A whole number within bounds; Dropped otherwise. */
export const optionalInteger = (min: number, max: number, invalidCode: string) =>
  z.any().transform((v): number | null | Dropped => {
    if (errorValue(v)) return new Dropped('formula_error');
    if (!cellText(v)) return null;
    const n = cellInteger(v);
    return n !== null && n >= min && n <= max ? n : new Dropped(invalidCode);
  });

/**
 * The days a date field may hold. Any number in a date cell reads as a day counted from 1900, so a
 * count or a class typed into the wrong column would pass as a date without bounds; the fields
 * imported so far (validity, attendance, care needed from) all fall in this century.
 */
export const schoolDays = { from: '2000-01-01', to: '2100-12-31' };

/** A calendar day (`YYYY-MM-DD`) from a real date, an Excel serial or `dd.mm.yyyy` text, within `range`. */
export const requiredDate = (ctx: RowContext, opts: { notAfterToday?: boolean; range?: { from: string; to: string } } = {}) =>
  z.any().transform((v, c) => {
    if (cellShowsError(v)) return fail(c, 'formula_error');
    if (blank(v)) return fail(c, 'required');
    // "2/1/2020" is 2 January or 1 February: without the file showing which, a wrong day is worse than none.
    if (!ctx.slashDates && ambiguousSlashDate(v)) return fail(c, 'ambiguous_date');
    const day = cellDate(v, ctx.date1904, ctx.slashDates ?? 'day-first');
    if (!day) return fail(c, 'invalid_date');
    const range = opts.range ?? schoolDays;
    if (day < range.from || day > range.to) return fail(c, 'date_out_of_range');
    if (opts.notAfterToday && day > ctx.today) return fail(c, 'date_in_future');
    return day;
  });

/** A count of children: a whole number, zero or more. */
export const requiredCount = () =>
  z.any().transform((v, ctx) => {
    if (!cellText(v)) return fail(ctx, missing(v));
    const n = cellInteger(v);
    if (n === null) return fail(ctx, 'not_a_number');
    return n < 0 ? fail(ctx, 'negative') : n;
  });
