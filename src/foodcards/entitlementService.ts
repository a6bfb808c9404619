import { Types } from 'mongoose';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { findInstitutionFor, scopeFilter } from '../auth/scope.ts';
import { NotFound } from '../errors.ts';
import { InstitutionModel } from '../institutions/model.ts';
import { PupilModel } from '../pupils/model.ts';
import { explainEntitlement } from './entitlements.ts';
import { EntitlementModel } from './model.ts';
import { findPeriod } from './periodService.ts';

export const EntitlementListQuerySchema = z.object({
  institution: z.string().trim().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

const codes = async (ids: Types.ObjectId[]) => new Map((await InstitutionModel.find({ _id: { $in: ids } }, { code: 1, name: 1 }).lean()).map((i) => [String(i._id), i]));

/**
 * A period's amounts within the actor's scope (a principal: their own pupils), with each pupil's
 * name, class and masked personal code, and the totals. Pupils are read with a second query.
 */
export async function listEntitlements(actor: Actor, periodId: string, query: z.infer<typeof EntitlementListQuerySchema>) {
  const period = await findPeriod(periodId);
  const filter: Record<string, unknown> = { period: period._id, ...scopeFilter(actor) };
  if (query.institution) filter.institution = (await findInstitutionFor(actor, query.institution))._id;
  const rows = await EntitlementModel.find(filter).sort({ institution: 1, class: 1, _id: 1 }).limit(query.limit).lean();
  const pupils = new Map(
    (await PupilModel.find({ _id: { $in: rows.map((r) => r.pupil) } }, { firstName: 1, lastName: 1, personalCodeMasked: 1 }).lean()).map((p) => [String(p._id), p]),
  );
  const institutions = await codes([...new Set(rows.map((r) => String(r.institution)))].map((id) => new Types.ObjectId(id)));
  const items = rows.map((r) => {
    const p = pupils.get(String(r.pupil));
    return {
      id: String(r._id),
      institution: institutions.get(String(r.institution))?.code ?? null,
      firstName: p?.firstName ?? '',
      lastName: p?.lastName ?? '',
      personalCode: p?.personalCodeMasked ?? '',
      class: r.class,
      status: r.status,
      validFrom: r.validFrom,
      validTo: r.validTo,
      rateCents: r.rateCents,
      days: r.days,
      cents: r.cents,
    };
  });
  return { period: { id: String(period._id), name: period.name, from: period.from, to: period.to }, items, totals: { pupils: items.filter((i) => i.days > 0).length, cents: items.reduce((s, i) => s + i.cents, 0) } };
}

/** Totals per institution for a period (the accounts department's figures), within scope. */
export async function periodTotals(actor: Actor, periodId: string) {
  const period = await findPeriod(periodId);
  const rows = await EntitlementModel.find({ period: period._id, ...scopeFilter(actor) }, { institution: 1, days: 1, cents: 1 }).lean();
  const by = new Map<string, { pupils: number; days: number; cents: number }>();
  for (const r of rows) {
    const key = String(r.institution);
    const t = by.get(key) ?? { pupils: 0, days: 0, cents: 0 };
    if (r.days > 0) t.pupils += 1;
    t.days += r.days;
    t.cents += r.cents;
    by.set(key, t);
  }
  const institutions = await codes([...by.keys()].map((id) => new Types.ObjectId(id)));
  const items = [...by.entries()]
    .map(([id, t]) => ({ institution: institutions.get(id)?.code ?? null, name: institutions.get(id)?.name ?? '', ...t }))
    .sort((a, b) => String(a.institution).localeCompare(String(b.institution)));
  return { period: { id: String(period._id), name: period.name, from: period.from, to: period.to }, items, total: items.reduce((s, i) => s + i.cents, 0) };
}

/** One pupil's amount explained day by day, within scope. */
export async function explainPupilEntitlement(actor: Actor, id: string) {
  if (!Types.ObjectId.isValid(id)) throw new NotFound('entitlement_not_found');
  const e = await EntitlementModel.findOne({ _id: id, ...scopeFilter(actor) }).lean();
  if (!e) throw new NotFound('entitlement_not_found');
  const period = await findPeriod(String(e.period));
  const calendar = { holidays: period.calendar?.holidays ?? [], daysOff: period.calendar?.daysOff ?? [], extraSchoolDays: period.calendar?.extraSchoolDays ?? [] };
  const explained = explainEntitlement(period, calendar, { from: e.validFrom, to: e.validTo }, e.rateCents);
  const inst = await InstitutionModel.findById(e.institution, { code: 1 }).lean();
  return { id, institution: inst?.code ?? null, status: e.status, validFrom: e.validFrom, validTo: e.validTo, rateCents: e.rateCents, stored: { days: e.days, cents: e.cents }, ...explained };
}
