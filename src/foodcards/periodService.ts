import { Types } from 'mongoose';
import { z } from 'zod';
import { actorTag, type Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/service.ts';
import { NotFound, ValidationError } from '../errors.ts';
import { calendarDay } from '../http/fields.ts';
import { euroCents, schoolDaysOf } from './entitlements.ts';
import { FoodPeriodModel } from './model.ts';

/** A rate typed as euros (`1.42`, `1,42`) or given as a number of euros; integer cents out. */
const rate = () =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const cents = euroCents(String(v));
    if (cents === null) {
      ctx.addIssue({ code: 'custom', message: 'invalid_rate' });
      return z.NEVER;
    }
    return cents;
  });

const grade = () => z.coerce.number().int('invalid_class_range').min(0, 'invalid_class_range').max(12, 'invalid_class_range');

export const PeriodInputSchema = z
  .object({
    name: z.string().trim().min(1, 'name_required').max(100),
    from: calendarDay(),
    to: calendarDay(),
    rate: rate(),
    rates: z.array(z.object({ classFrom: grade(), classTo: grade(), rate: rate() })).max(13).default([]),
  })
  .refine((v) => v.from <= v.to, { message: 'period_reversed', path: ['to'] })
  .refine((v) => v.rates.every((b) => b.classFrom <= b.classTo), { message: 'invalid_class_range', path: ['rates'] })
  .refine((v) => v.rates.every((a, i) => v.rates.every((b, j) => i === j || a.classTo < b.classFrom || b.classTo < a.classFrom)), { message: 'rate_bands_overlap', path: ['rates'] });
export type PeriodInput = z.infer<typeof PeriodInputSchema>;

export const CalendarInputSchema = z.object({
  holidays: z.array(calendarDay()).max(400).default([]),
  daysOff: z.array(calendarDay()).max(400).default([]),
  extraSchoolDays: z.array(calendarDay()).max(400).default([]),
});
export type CalendarInput = z.infer<typeof CalendarInputSchema>;

/** A period by id; 404 when there is none. Periods belong to the office (coordinators). */
export async function findPeriod(id: string) {
  if (!Types.ObjectId.isValid(id)) throw new NotFound('period_not_found');
  const p = await FoodPeriodModel.findById(id).lean();
  if (!p) throw new NotFound('period_not_found');
  return p;
}

/** Sets up an entitlement period with its daily rate(s); the calendar follows separately. */
export async function createPeriod(actor: Actor, input: PeriodInput, ip: string | null) {
  const p = await FoodPeriodModel.create({
    name: input.name,
    from: input.from,
    to: input.to,
    defaultRateCents: input.rate,
    rates: input.rates.map((b) => ({ classFrom: b.classFrom, classTo: b.classTo, cents: b.rate })),
    createdBy: actorTag(actor),
  });
  await recordAudit({ actor, action: 'food_period.create', target: { type: 'foodPeriod', id: String(p._id), label: p.name }, ip, details: { from: p.from, to: p.to, rateCents: p.defaultRateCents } });
  return p.toObject();
}

/**
 * Sets the period's school calendar: holidays, other days off, and weekend days made school days.
 * Every day must lie within the period, and a day cannot be both off and an extra school day.
 */
export async function setCalendar(actor: Actor, id: string, input: CalendarInput, ip: string | null) {
  const p = await findPeriod(id);
  const all = [...input.holidays, ...input.daysOff, ...input.extraSchoolDays];
  const outside = all.filter((d) => d < p.from || d > p.to);
  if (outside.length) throw new ValidationError('day_outside_period', undefined, { days: outside });
  const off = new Set([...input.holidays, ...input.daysOff]);
  const both = input.extraSchoolDays.filter((d) => off.has(d));
  if (both.length) throw new ValidationError('day_both_off_and_school', undefined, { days: both });
  const calendar = {
    holidays: [...new Set(input.holidays)].sort(),
    daysOff: [...new Set(input.daysOff)].sort(),
    extraSchoolDays: [...new Set(input.extraSchoolDays)].sort(),
    setAt: new Date(),
    setBy: actorTag(actor),
  };
  await FoodPeriodModel.updateOne({ _id: p._id }, { $set: { calendar } });
  await recordAudit({ actor, action: 'food_period.calendar', target: { type: 'foodPeriod', id, label: p.name }, ip, details: { holidays: calendar.holidays.length, daysOff: calendar.daysOff.length, extraSchoolDays: calendar.extraSchoolDays.length } });
  return findPeriod(id);
}

/** The periods, latest first. */
export async function listPeriods() {
  return FoodPeriodModel.find({}).sort({ from: -1, _id: -1 }).lean();
}

/** A period as the API shows it: rates in cents, the calendar, and its school days once the calendar is set. */
export function presentPeriod(p: Awaited<ReturnType<typeof findPeriod>>) {
  const calendarSet = !!p.calendar?.setAt;
  const calendar = { holidays: p.calendar?.holidays ?? [], daysOff: p.calendar?.daysOff ?? [], extraSchoolDays: p.calendar?.extraSchoolDays ?? [] };
  return {
    id: String(p._id),
    name: p.name,
    from: p.from,
    to: p.to,
    rateCents: p.defaultRateCents,
    rates: p.rates.map((b) => ({ classFrom: b.classFrom, classTo: b.classTo, rateCents: b.cents })),
    calendar: { ...calendar, set: calendarSet },
    schoolDays: calendarSet ? schoolDaysOf(p, calendar).length : null,
  };
}
