/** Calendar days are YYYY-MM-DD strings in Europe/Riga: no time zone or DST change can move them. */
export const rigaTimeZone = 'Europe/Riga';

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written as YYYY-MM-DD. */
export function isCalendarDay(s: string): boolean {
  const m = dayPattern.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

// One formatter per process: making an Intl.DateTimeFormat costs far more than using one.
const rigaDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: rigaTimeZone, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day in Riga of a moment (today by default). */
export function rigaToday(now: Date = new Date()): string {
  return rigaDayFormat.format(now);
}

/** The calendar day `days` after `day` (negative goes back). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10);
}
