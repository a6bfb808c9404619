import { addDays } from '../shared/dates.ts';

/**
 * The food-card amount, as pure functions: no database, so every rule is tested on its own.
 * Days are Riga calendar days as `YYYY-MM-DD` strings; compared as strings they order as days
 * do, and weekdays come from the date itself, so no time zone or clock change can move a day.
 * Money is in integer cents.
 */

/** The school calendar of a period: holidays and other days off, and weekend days made school days. */
export type SchoolCalendar = { holidays: string[]; daysOff: string[]; extraSchoolDays: string[] };
export type Span = { from: string; to: string };
/** A daily rate for classes `classFrom`–`classTo` (grades 1–12; 0 for pre-school). */
export type RateBand = { classFrom: number; classTo: number; cents: number };

export type DayReason = 'school_day' | 'weekend' | 'holiday' | 'day_off' | 'before_status' | 'after_status';
export type ExplainedDay = { day: string; counted: boolean; reason: DayReason };

/** 0 = Sunday … 6 = Saturday, from the calendar date alone. */
export function weekday(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay();
}

/** Why a day of the period is or is not a school day. */
function schoolDayReason(day: string, cal: { holidays: Set<string>; daysOff: Set<string>; extra: Set<string> }): DayReason {
  if (cal.holidays.has(day)) return 'holiday';
  if (cal.daysOff.has(day)) return 'day_off';
  if (cal.extra.has(day)) return 'school_day';
  const w = weekday(day);
  return w === 0 || w === 6 ? 'weekend' : 'school_day';
}

function calendarSets(calendar: SchoolCalendar) {
  return { holidays: new Set(calendar.holidays), daysOff: new Set(calendar.daysOff), extra: new Set(calendar.extraSchoolDays) };
}

/** The school days of a period, in order: weekdays and extra school days, without holidays and days off. */
export function schoolDaysOf(period: Span, calendar: SchoolCalendar): string[] {
  const sets = calendarSets(calendar);
  const out: string[] = [];
  for (let d = period.from; d <= period.to; d = addDays(d, 1)) if (schoolDayReason(d, sets) === 'school_day') out.push(d);
  return out;
}

/** How many of the sorted `days` fall within `span`, both ends included (two binary searches). */
export function countWithin(days: readonly string[], span: Span): number {
  if (span.to < span.from) return 0;
  const lower = (x: string) => {
    let lo = 0;
    let hi = days.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (days[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const upper = (x: string) => {
    let lo = 0;
    let hi = days.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (days[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return Math.max(0, upper(span.to) - lower(span.from));
}

/**
 * A pupil's amount for a period: the period's school days that fall inside the family status's
 * validity (both ends inclusive) times the daily rate. `schoolDays` comes from schoolDaysOf, made
 * once per period, so a whole city's pupils cost two binary searches each.
 */
export function entitlementAmount(schoolDays: readonly string[], validity: Span, rateCents: number): { days: number; cents: number } {
  const days = countWithin(schoolDays, validity);
  return { days, cents: days * rateCents };
}

/** The same amount explained day by day, for the pupil's page: every day of the period and why it counts or not. */
export function explainEntitlement(period: Span, calendar: SchoolCalendar, validity: Span, rateCents: number): { days: ExplainedDay[]; counted: number; cents: number } {
  const sets = calendarSets(calendar);
  const days: ExplainedDay[] = [];
  for (let d = period.from; d <= period.to; d = addDays(d, 1)) {
    const school = schoolDayReason(d, sets);
    // A day that is no school day says so first: that reason holds whatever the status.
    const reason: DayReason = school !== 'school_day' ? school : d < validity.from ? 'before_status' : d > validity.to ? 'after_status' : 'school_day';
    days.push({ day: d, counted: reason === 'school_day', reason });
  }
  const counted = days.filter((d) => d.counted).length;
  return { days, counted, cents: counted * rateCents };
}

/** The grade of a class as written in school lists (`5.a`, `12B`, `1`); null when it names none. */
export function gradeOf(className: string | null | undefined): number | null {
  const m = /^\s*(\d{1,2})/.exec(className ?? '');
  return m ? Number(m[1]) : null;
}

/** The daily rate for a pupil's class: the first band holding its grade, else the period's default. */
export function rateForClass(bands: readonly RateBand[], defaultCents: number, className: string | null | undefined): number {
  const grade = gradeOf(className);
  if (grade === null) return defaultCents;
  return bands.find((b) => b.classFrom <= grade && grade <= b.classTo)?.cents ?? defaultCents;
}

/** Euros as typed (`1.42`, `1,42`, `2`) to integer cents; null when it is not an amount of money. */
export function euroCents(text: string): number | null {
  const m = /^\s*(\d{1,6})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}
