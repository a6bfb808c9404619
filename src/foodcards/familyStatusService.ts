import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { findInstitutionFor, scopeFilter } from '../auth/scope.ts';
import { recordAudit } from '../audit/service.ts';
import { ValidationError } from '../errors.ts';
import { calendarDay } from '../http/fields.ts';
import { PupilModel } from '../pupils/model.ts';
import type { PersonalCodeKey } from '../pupils/personalCodes.ts';
import { checkedPersonalCode, findOrCreatePupil } from '../pupils/identity.ts';
import { addDays, rigaToday } from '../shared/dates.ts';
import { InstitutionModel } from '../institutions/model.ts';
import { FamilyStatusModel } from './model.ts';

export const familyStatuses = ['poor', 'low_income'] as const;

export const FamilyStatusInputSchema = z
  .object({
    institution: z.string().trim().max(40).optional(),
    personalCode: z.string().trim().min(1, 'invalid_personal_code').max(20),
    firstName: z.string().trim().min(1, 'first_name_required').max(100),
    lastName: z.string().trim().min(1, 'last_name_required').max(100),
    class: z.string().trim().max(20).optional(),
    status: z.enum(familyStatuses, { message: 'unknown_status' }),
    validFrom: calendarDay(),
    validTo: calendarDay(),
  })
  // Both ends are inclusive, so a status valid for one day has validFrom equal to validTo.
  .refine((v) => v.validFrom <= v.validTo, { message: 'validity_reversed', path: ['validTo'] });
export type FamilyStatusInput = z.infer<typeof FamilyStatusInputSchema>;

export const ExpiringQuerySchema = z.object({
  days: z.coerce.number().int().min(0).max(366).default(14),
  institution: z.string().trim().max(40).optional(),
});

/**
 * Records a pupil's family status by hand, as the `food-entitlements` import does for a list: the
 * pupil is found by personal code in the institution (or created); a pupil of another institution
 * is a 409. The status replaces the pupil's previous one; the next computation follows it.
 */
export async function saveFamilyStatus(actor: Actor, input: FamilyStatusInput, key: PersonalCodeKey, ip: string | null) {
  const code = input.institution ?? actor.institutionCode;
  if (!code) throw new ValidationError('institution_required');
  const inst = await findInstitutionFor(actor, code);
  const pupil = await findOrCreatePupil(key, inst._id, checkedPersonalCode(input.personalCode), { firstName: input.firstName, lastName: input.lastName, class: input.class ?? '' });
  const previous = await FamilyStatusModel.findOne({ pupil: pupil._id }, { status: 1, validFrom: 1, validTo: 1 }).lean();
  await FamilyStatusModel.updateOne(
    { pupil: pupil._id },
    { $set: { institution: inst._id, status: input.status, validFrom: input.validFrom, validTo: input.validTo } },
    { upsert: true },
  );
  await recordAudit({
    actor,
    action: previous ? 'family_status.update' : 'family_status.create',
    target: { type: 'pupil', id: String(pupil._id) },
    institution: inst.code,
    ip,
    details: { status: input.status, validFrom: input.validFrom, validTo: input.validTo, previous: previous ? { status: previous.status, validFrom: previous.validFrom, validTo: previous.validTo } : null },
  });
  return { pupil: String(pupil._id), institution: inst.code, status: input.status, validFrom: input.validFrom, validTo: input.validTo, created: !previous };
}

/**
 * Statuses about to expire: valid today and ending within `days` (Riga days), soonest first, in
 * the actor's scope, so the school asks the family for a new decision in time.
 */
export async function expiringStatuses(actor: Actor, query: z.infer<typeof ExpiringQuerySchema>, today = rigaToday(), limit = 2000) {
  const filter: Record<string, unknown> = { ...scopeFilter(actor), validTo: { $gte: today, $lte: addDays(today, query.days) } };
  if (query.institution) filter.institution = (await findInstitutionFor(actor, query.institution))._id;
  const rows = (await FamilyStatusModel.find(filter, { pupil: 1, institution: 1, status: 1, validFrom: 1, validTo: 1 }).sort({ validTo: 1, _id: 1 }).limit(limit).lean()).filter(
    (r) => r.validFrom <= today,
  );
  const [pupils, institutions] = await Promise.all([
    PupilModel.find({ _id: { $in: rows.map((r) => r.pupil) } }, { firstName: 1, lastName: 1, class: 1, personalCodeMasked: 1 }).lean(),
    InstitutionModel.find({ _id: { $in: [...new Set(rows.map((r) => String(r.institution)))] } }, { code: 1 }).lean(),
  ]);
  const pupilOf = new Map(pupils.map((p) => [String(p._id), p]));
  const codeOf = new Map(institutions.map((i) => [String(i._id), i.code]));
  return rows.map((r) => {
    const p = pupilOf.get(String(r.pupil));
    return {
      institution: codeOf.get(String(r.institution)) ?? null,
      firstName: p?.firstName ?? '',
      lastName: p?.lastName ?? '',
      class: p?.class ?? '',
      personalCode: p?.personalCodeMasked ?? '',
      status: r.status,
      validFrom: r.validFrom,
      validTo: r.validTo,
    };
  });
}
