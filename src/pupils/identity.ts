import type { Types } from 'mongoose';
import { Conflict, ValidationError } from '../errors.ts';
import { maskPersonalCode, parsePersonalCode, type PersonalCode } from '../../imports/personalCode.ts';
import { normalizeEmail, normalizePhone } from '../../imports/cells.ts';
import { PupilModel } from './model.ts';
import { encryptPersonalCode, hashPersonalCode, type PersonalCodeKey } from './personalCodes.ts';
import { pupilSearchKeys } from './searchKeys.ts';

/** A personal code typed into a form, checked; a ValidationError naming what is wrong otherwise. */
export function checkedPersonalCode(raw: string): PersonalCode {
  const parsed = parsePersonalCode(raw);
  if (!parsed.ok) throw new ValidationError(parsed.reason === 'check_digit' ? 'personal_code_check_digit' : 'invalid_personal_code');
  return parsed.value;
}

/** A phone and an e-mail typed into a form, normalised; each one given but unreadable is refused. */
export function checkedContact(phone: string | null | undefined, email: string | null | undefined): { phone: string | null; email: string | null } {
  const p = phone ? normalizePhone(phone) : null;
  if (phone && !p) throw new ValidationError('invalid_phone');
  const e = email ? normalizeEmail(email) : null;
  if (email && !e) throw new ValidationError('invalid_email');
  return { phone: p, email: e };
}

/** The stored forms of a personal code: the keyed hash to match it, masked for lists, encrypted. */
export function storedPersonalCode(key: PersonalCodeKey, code: PersonalCode) {
  return {
    personalCodeHash: hashPersonalCode(key, code.code),
    personalCodeMasked: maskPersonalCode(code.code),
    personalCodeEnc: encryptPersonalCode(key, code.code),
    birthDate: code.birthDate,
  };
}

/**
 * The pupil with this personal code, made in `institution` with `fresh` when there is none, as a
 * form entry does it (an import does the same in bulk). The personal code's hash is unique, so
 * two entries at once still make one pupil; a pupil of another institution is a 409.
 */
export async function findOrCreatePupil(
  key: PersonalCodeKey,
  institution: Types.ObjectId,
  code: PersonalCode,
  fresh: { firstName: string; lastName: string; class: string; guardian?: Record<string, unknown> },
) {
  const stored = storedPersonalCode(key, code);
  const pupil = await PupilModel.findOneAndUpdate(
    { personalCodeHash: stored.personalCodeHash },
    { $setOnInsert: { institution, ...stored, ...fresh, searchKeys: pupilSearchKeys({ ...fresh, personalCodeMasked: stored.personalCodeMasked }) } },
    { upsert: true, new: true },
  ).lean();
  if (String(pupil.institution) !== String(institution)) throw new Conflict('pupil_in_other_institution');
  return pupil;
}
