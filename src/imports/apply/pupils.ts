import type { PersonalCode } from '../../../imports/personalCode.ts';
import { maskPersonalCode } from '../../../imports/personalCode.ts';
import { PupilModel } from '../../pupils/model.ts';
import { encryptPersonalCode, hashPersonalCode } from '../../pupils/personalCodes.ts';
import { outcomeOf, differs, type ApplyContext, type Outcome } from './types.ts';

export type PupilFields = {
  personalCode: PersonalCode;
  firstName: string;
  lastName: string;
  class: string | null;
  guardian?: { name: string | null; phone: string | null; email: string | null; language: 'lv' | 'ru' | 'en' };
};

type PupilLean = Awaited<ReturnType<typeof loadPupils>> extends Map<string, infer P> ? P : never;

/** Loads the pupils of a batch by their matching key. */
export async function loadPupils(ctx: ApplyContext, rows: Array<{ personalCode: PersonalCode }>) {
  const hashes = rows.map((r) => hashPersonalCode(ctx.key, r.personalCode.code));
  const docs = await PupilModel.find({ personalCodeHash: { $in: hashes } }).lean();
  return new Map(docs.map((d) => [d.personalCodeHash, d]));
}

/**
 * Creates the pupil in the uploading institution or brings their record up to date. A pupil of
 * another institution is not touched (the row is rejected by the caller). Optional contact fields
 * missing from the row keep what is stored, so a list without phones never erases them.
 */
export async function savePupil(ctx: ApplyContext, existing: PupilLean | undefined, f: PupilFields): Promise<{ outcome: Outcome; id: unknown } | { otherInstitution: true }> {
  const hash = hashPersonalCode(ctx.key, f.personalCode.code);
  if (existing && String(existing.institution) !== String(ctx.institutionId)) return { otherInstitution: true };
  const wanted: Record<string, unknown> = { firstName: f.firstName, lastName: f.lastName };
  if (f.class) wanted.class = f.class;
  if (f.guardian) {
    if (f.guardian.name) wanted['guardian.name'] = f.guardian.name;
    if (f.guardian.phone) wanted['guardian.phone'] = f.guardian.phone;
    if (f.guardian.email) wanted['guardian.email'] = f.guardian.email;
    wanted['guardian.language'] = f.guardian.language;
  }
  if (existing) {
    const flat: Record<string, unknown> = { ...existing, 'guardian.name': existing.guardian?.name, 'guardian.phone': existing.guardian?.phone, 'guardian.email': existing.guardian?.email, 'guardian.language': existing.guardian?.language };
    const changed = differs(flat, wanted);
    if (changed && !ctx.dryRun) await PupilModel.updateOne({ _id: existing._id }, { $set: { ...wanted, changedByImport: ctx.importId } });
    return { outcome: outcomeOf(existing, ctx.importId, changed), id: existing._id };
  }
  if (ctx.dryRun) return { outcome: 'created', id: null };
  // An upsert on the unique key: two imports naming the same new pupil at once still make one record.
  const doc = await PupilModel.findOneAndUpdate(
    { personalCodeHash: hash },
    {
      $setOnInsert: {
        institution: ctx.institutionId,
        class: f.class ?? '',
        firstName: f.firstName,
        lastName: f.lastName,
        personalCodeHash: hash,
        personalCodeMasked: maskPersonalCode(f.personalCode.code),
        personalCodeEnc: encryptPersonalCode(ctx.key, f.personalCode.code),
        birthDate: f.personalCode.birthDate,
        guardian: { name: f.guardian?.name ?? null, phone: f.guardian?.phone ?? null, email: f.guardian?.email ?? null, language: f.guardian?.language ?? 'lv' },
        createdByImport: ctx.importId,
      },
    },
    { upsert: true, new: true, lean: true },
  );
  if (String(doc!.institution) !== String(ctx.institutionId)) return { otherInstitution: true };
  return { outcome: outcomeOf(doc, ctx.importId, false), id: doc!._id };
}
