import type { Types } from 'mongoose';
import type { PersonalCode } from '../../../imports/personalCode.ts';
import { maskPersonalCode } from '../../../imports/personalCode.ts';
import { PupilModel } from '../../pupils/model.ts';
import { encryptPersonalCode, hashPersonalCode } from '../../pupils/personalCodes.ts';
import { pupilSearchKeys } from '../../pupils/searchKeys.ts';
import { RecordBook, type Plan, type Saved, type Stored } from './recordBook.ts';
import type { ApplyContext } from './types.ts';

export type PupilFields = {
  personalCode: PersonalCode;
  firstName: string;
  lastName: string;
  class: string | null;
  guardian?: { name: string | null; phone: string | null; email: string | null; language: 'lv' | 'ru' | 'en' | null };
};

type PupilDoc = Stored & { institution: Types.ObjectId; personalCodeHash: string };
export type SavePupils = (rows: PupilFields[]) => Promise<Saved[]>;

/**
 * The pupils of the uploading institution, loaded once per import. A row creates its pupil or
 * brings the record up to date; a pupil of another institution is never touched (`foreign`, and
 * the caller rejects the row). The personal-code hash is the key, so two imports naming the same
 * new pupil at once still make one record.
 */
export async function openPupils(ctx: ApplyContext): Promise<SavePupils> {
  // Only what a row can compare: the encrypted code and the timestamps stay in the database.
  const fields = '_id institution personalCodeHash personalCodeMasked firstName lastName class guardian createdByImport changedByImport';
  const loaded = ctx.institutionId ? ((await PupilModel.find({ institution: ctx.institutionId }, fields).lean()) as unknown as PupilDoc[]) : [];
  const book = new RecordBook<PupilDoc>(
    ctx,
    {
      model: PupilModel,
      keyOf: (d) => d.personalCodeHash,
      filterFor: (hash) => ({ personalCodeHash: hash }),
      owned: (d) => String(d.institution) === String(ctx.institutionId),
    },
    loaded,
  );
  return (rows) => book.saveAll(rows.map((f) => pupilPlan(ctx, f)));
}

/**
 * Optional contact fields missing from the row keep what is stored: a list without phones never
 * erases them, nor one without a language (or with one not recognised) the guardian's language.
 * A new pupil's guardian is written to in Latvian unless the row says otherwise.
 */
function pupilPlan(ctx: ApplyContext, f: PupilFields): Plan {
  const hash = hashPersonalCode(ctx.key, f.personalCode.code);
  const wanted: Record<string, unknown> = { firstName: f.firstName, lastName: f.lastName };
  if (f.class) wanted.class = f.class;
  if (f.guardian) {
    if (f.guardian.name) wanted['guardian.name'] = f.guardian.name;
    if (f.guardian.phone) wanted['guardian.phone'] = f.guardian.phone;
    if (f.guardian.email) wanted['guardian.email'] = f.guardian.email;
    if (f.guardian.language) wanted['guardian.language'] = f.guardian.language;
  }
  const masked = maskPersonalCode(f.personalCode.code);
  return {
    key: hash,
    wanted,
    // A changed name or class changes what the child search finds the pupil by.
    derived: (merged) => ({ searchKeys: pupilSearchKeys({ firstName: String(merged.firstName), lastName: String(merged.lastName), class: merged.class as string | null, personalCodeMasked: masked }) }),
    fresh: () => ({
      institution: ctx.institutionId,
      class: f.class ?? '',
      firstName: f.firstName,
      lastName: f.lastName,
      personalCodeHash: hash,
      personalCodeMasked: masked,
      searchKeys: pupilSearchKeys({ firstName: f.firstName, lastName: f.lastName, class: f.class, personalCodeMasked: masked }),
      personalCodeEnc: encryptPersonalCode(ctx.key, f.personalCode.code),
      birthDate: f.personalCode.birthDate,
      guardian: { name: f.guardian?.name ?? null, phone: f.guardian?.phone ?? null, email: f.guardian?.email ?? null, language: f.guardian?.language ?? 'lv' },
    }),
  };
}
