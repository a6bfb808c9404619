/**
 * zod schemas for single cells as the streaming reader yields them. Each turns one raw cell into a
 * clean value, or fails with a stable code as the issue message (an i18n key under
 * `imports.issues.`). Optional fields never fail: a present but invalid value becomes `Dropped`,
 * which the row parser turns into a warning and a null, so the row is kept without it.
 */

import { z } from 'zod';
import { cellDate, cellInteger, cellScalar, cellText, normalizeEmail, normalizePhone } from '../cells.ts';
import { parsePersonalCode } from '../personalCode.ts';

/** What one row's schema depends on: the workbook's date system and today's date in Riga. */
export type RowContext = { date1904: boolean; today: string };

/** A present but invalid optional value, left out of the record and reported with `code`. */
export class Dropped {
  // A private member makes the type nominal: values that merely have a `code` are not Dropped.
  private readonly dropped = true;
  readonly code: string;
  constructor(code: string) {
    this.code = code;
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

/** Text that must be there. */
export const requiredText = () => z.any().transform((v, ctx) => cellText(v) || fail(ctx, 'required'));

/** Text that may be left empty (null then). */
export const optionalText = () => z.any().transform((v): string | null => cellText(v) || null);

/** A Latvian personal code in either form, typed as text or as a number. */
export const personalCode = () =>
  z.any().transform((v, ctx) => {
    const raw = cellScalar(v);
    const result = parsePersonalCode(typeof raw === 'number' ? raw : cellText(raw) || null);
    if (result.ok) return result.value;
    return fail(ctx, result.reason === 'missing' ? 'required' : `personal_code_${result.reason}`);
  });

/** One of a few values recognised from words in any of the three languages; must be there. */
export const requiredChoice = <K extends string>(lookup: (raw: string) => K | null, unknownCode: string) =>
  z.any().transform((v, ctx): K => {
    const s = cellText(v);
    if (!s) return fail(ctx, 'required');
    return lookup(s) ?? fail(ctx, unknownCode);
  });

/** An optional choice: null when empty, Dropped when not recognised. */
export const optionalChoice = <K extends string>(lookup: (raw: string) => K | null, unknownCode: string) =>
  z.any().transform((v): K | null | Dropped => {
    const s = cellText(v);
    if (!s) return null;
    return lookup(s) ?? new Dropped(unknownCode);
  });

/** A phone in `+371…` form (or another country's `+…`); Dropped when it cannot be one. */
export const optionalPhone = () =>
  z.any().transform((v): string | null | Dropped => {
    const s = cellText(v);
    return s ? (normalizePhone(s) ?? new Dropped('invalid_phone')) : null;
  });

/** A lower-cased e-mail address; Dropped when it cannot be one. */
export const optionalEmail = () =>
  z.any().transform((v): string | null | Dropped => {
    const s = cellText(v);
    return s ? (normalizeEmail(s) ?? new Dropped('invalid_email')) : null;
  });

/** A whole number within bounds; Dropped otherwise. */
export const optionalInteger = (min: number, max: number, invalidCode: string) =>
  z.any().transform((v): number | null | Dropped => {
    if (!cellText(v)) return null;
    const n = cellInteger(v);
    return n !== null && n >= min && n <= max ? n : new Dropped(invalidCode);
  });

/** A calendar day (`YYYY-MM-DD`) from a real date, an Excel serial or `dd.mm.yyyy` text. */
export const requiredDate = (ctx: RowContext, opts: { notAfterToday?: boolean } = {}) =>
  z.any().transform((v, c) => {
    if (blank(v)) return fail(c, 'required');
    const day = cellDate(v, ctx.date1904);
    if (!day) return fail(c, 'invalid_date');
    if (opts.notAfterToday && day > ctx.today) return fail(c, 'date_in_future');
    return day;
  });

/** A count of children: a whole number, zero or more. */
export const requiredCount = () =>
  z.any().transform((v, ctx) => {
    if (!cellText(v)) return fail(ctx, 'required');
    const n = cellInteger(v);
    if (n === null) return fail(ctx, 'not_a_number');
    return n < 0 ? fail(ctx, 'negative') : n;
  });
