import { z } from 'zod';
import { isCalendarDay } from '../shared/dates.ts';

/** Optional text from a form or JSON body: trimmed, at most `max` characters, empty or missing as null. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || null);

/** A calendar day written as YYYY-MM-DD (Europe/Riga days are kept as such strings). */
export const calendarDay = () => z.string().refine(isCalendarDay, 'invalid_date');
