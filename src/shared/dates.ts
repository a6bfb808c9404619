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

// Wall-clock parts in Riga, for turning a Riga day and time back into a moment.
const rigaWallFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: rigaTimeZone,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** How far Riga's wall clock is ahead of UTC at `ms` (2 or 3 hours), in milliseconds. */
function rigaOffsetMs(ms: number): number {
  const p = Object.fromEntries(rigaWallFormat.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * The moment when Riga's clocks show `time` (HH:MM) on `day`. The offset is looked up for that
 * very moment, so a deadline on the last Sunday of March or October (when Riga moves between +2
 * and +3) lands on the right hour; a time skipped by the spring change resolves to the hour after.
 */
export function rigaMoment(day: string, time: string): Date {
  const [y, mo, d] = day.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!);
  const first = wall - rigaOffsetMs(wall);
  return new Date(wall - rigaOffsetMs(first));
}

/** The days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}
