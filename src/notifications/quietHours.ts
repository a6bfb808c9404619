import { addDays, rigaMoment, rigaToday } from '../shared/dates.ts';

/** No SMS between these Riga wall-clock times: a text at night wakes a family for nothing. */
export const quietFrom = '20:00';
export const quietUntil = '08:00';

/**
 * When an SMS may go out: `now` itself outside the quiet hours, else the next 08:00 in Riga (DST
 * handled by rigaMoment). E-mail waits for nobody.
 */
export function smsAllowedFrom(now: Date): Date {
  const today = rigaToday(now);
  const morning = rigaMoment(today, quietUntil);
  if (now < morning) return morning;
  if (now < rigaMoment(today, quietFrom)) return now;
  return rigaMoment(addDays(today, 1), quietUntil);
}

/** True while SMS are held. */
export function isQuiet(now: Date): boolean {
  return smsAllowedFrom(now).getTime() !== now.getTime();
}
