import type { Types } from 'mongoose';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/service.ts';
import { Conflict } from '../errors.ts';
import { InstitutionModel } from '../institutions/model.ts';
import { PupilModel } from '../pupils/model.ts';
import { insertAll, updateAll } from '../shared/bulkWrites.ts';
import { mapLimit } from '../shared/concurrency.ts';
import { entitlementAmount, rateForClass, schoolDaysOf } from './entitlements.ts';
import { EntitlementModel, FamilyStatusModel } from './model.ts';
import { findPeriod } from './periodService.ts';

export type ComputeSummary = { institutions: number; pupils: number; created: number; updated: number; unchanged: number; cents: number };

type Period = Awaited<ReturnType<typeof findPeriod>>;
type Stored = { _id: Types.ObjectId; pupil: Types.ObjectId; status: string; validFrom: string; validTo: string; class: string; rateCents: number; days: number; cents: number };

// Institutions worked on at once: each is three indexed reads and a few writes.
const institutionsInFlight = 3;

/**
 * Computes every pupil's amount for a period and stores it, one institution at a time: its family
 * statuses, its pupils' classes and the amounts already stored are read by the institution (an
 * indexed equality on the embedded database too), so the memory used is that of the largest
 * school, whatever the city's size. A pupil whose status overlaps the period gets a record; one
 * whose status no longer does keeps theirs at zero, so what was issued can still be compared.
 * Only changed records are written; computing twice writes nothing the second time.
 */
export async function computeEntitlements(actor: Actor, periodId: string, ip: string | null): Promise<ComputeSummary> {
  const period = await findPeriod(periodId);
  if (!period.calendar?.setAt) throw new Conflict('period_without_calendar');
  const schoolDays = schoolDaysOf(period, { holidays: period.calendar.holidays, daysOff: period.calendar.daysOff, extraSchoolDays: period.calendar.extraSchoolDays });
  const institutions = await InstitutionModel.find({}, { _id: 1 }).lean();
  const total: ComputeSummary = { institutions: 0, pupils: 0, created: 0, updated: 0, unchanged: 0, cents: 0 };
  const now = new Date();
  await mapLimit(institutions, institutionsInFlight, async (inst) => {
    const s = await computeInstitution(period, schoolDays, inst._id, now);
    if (s.pupils || s.updated) total.institutions += 1;
    for (const k of ['pupils', 'created', 'updated', 'unchanged', 'cents'] as const) total[k] += s[k];
  });
  await recordAudit({ actor, action: 'food_period.compute', target: { type: 'foodPeriod', id: periodId, label: period.name }, ip, details: { ...total } });
  return total;
}

async function computeInstitution(period: Period, schoolDays: string[], institution: Types.ObjectId, now: Date): Promise<Omit<ComputeSummary, 'institutions'>> {
  const [statuses, stored] = await Promise.all([
    FamilyStatusModel.find({ institution }, { pupil: 1, status: 1, validFrom: 1, validTo: 1 }).lean(),
    EntitlementModel.find({ period: period._id, institution }, { pupil: 1, status: 1, validFrom: 1, validTo: 1, class: 1, rateCents: 1, days: 1, cents: 1 }).lean() as unknown as Promise<Stored[]>,
  ]);
  const s = { pupils: 0, created: 0, updated: 0, unchanged: 0, cents: 0 };
  if (!statuses.length && !stored.length) return s;
  const classes = new Map((await PupilModel.find({ institution }, { class: 1 }).lean()).map((p) => [String(p._id), p.class ?? '']));
  const storedBy = new Map(stored.map((e) => [String(e.pupil), e]));
  const inserts: Array<Record<string, unknown>> = [];
  const updates: Array<{ _id: unknown; set: Record<string, unknown> }> = [];
  const seen = new Set<string>();
  for (const st of statuses) {
    const key = String(st.pupil);
    const overlaps = st.validFrom <= period.to && st.validTo >= period.from;
    const before = storedBy.get(key);
    if (!overlaps && !before) continue;
    seen.add(key);
    const cls = classes.get(key) ?? '';
    const rate = rateForClass(period.rates, period.defaultRateCents, cls);
    const amount = overlaps ? entitlementAmount(schoolDays, { from: st.validFrom, to: st.validTo }, rate) : { days: 0, cents: 0 };
    const wanted = { status: st.status, validFrom: st.validFrom, validTo: st.validTo, class: cls, rateCents: rate, days: amount.days, cents: amount.cents };
    s.pupils += overlaps ? 1 : 0;
    s.cents += amount.cents;
    if (!before) {
      inserts.push({ ...wanted, period: period._id, pupil: st.pupil, institution, computedAt: now });
      s.created += 1;
    } else if ((Object.keys(wanted) as Array<keyof typeof wanted>).some((k) => before[k] !== wanted[k])) {
      updates.push({ _id: before._id, set: { ...wanted, computedAt: now } });
      s.updated += 1;
    } else s.unchanged += 1;
  }
  // A stored amount whose family status is gone (removed by the Social Service) drops to zero.
  for (const e of stored) {
    if (seen.has(String(e.pupil)) || (e.days === 0 && e.cents === 0)) continue;
    updates.push({ _id: e._id, set: { days: 0, cents: 0, computedAt: now } });
    s.updated += 1;
  }
  const clashed = await insertAll(EntitlementModel, inserts);
  // A record made meanwhile by a computation running at the same moment: it is the same amount.
  s.created -= clashed.size;
  s.unchanged += clashed.size;
  await updateAll(EntitlementModel, updates);
  return s;
}
