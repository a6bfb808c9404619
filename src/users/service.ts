import { z } from 'zod';
import { UserModel, roles, type UserDoc } from '../auth/model.ts';
import type { Actor, AnyActor } from '../auth/actor.ts';
import { hashPassword } from '../auth/password.ts';
import { InstitutionModel } from '../institutions/model.ts';
import { recordAudit } from '../audit/service.ts';
import { Conflict, NotFound, ValidationError } from '../errors.ts';

export const NewUserSchema = z.object({
  email: z.email().transform((e) => e.toLowerCase()),
  password: z.string().min(10, 'password_too_short').max(200),
  role: z.enum(roles),
  institution: z.string().trim().min(1).optional(),
  name: z.string().trim().max(200).optional(),
  language: z.enum(['lv', 'ru', 'en']).optional(),
});
export type NewUser = z.infer<typeof NewUserSchema>;

/** Creates a staff account; a principal must name an existing institution, a coordinator none. */
export async function createUser(actor: AnyActor, input: NewUser, ip: string | null = null): Promise<UserDoc> {
  let institutionId = null;
  let institutionCode: string | null = null;
  if (input.role === 'principal') {
    if (!input.institution) throw new ValidationError('institution_required');
    const inst = await InstitutionModel.findOne({ code: input.institution });
    if (!inst) throw new NotFound('institution_not_found');
    institutionId = inst._id;
    institutionCode = inst.code;
  } else if (input.institution) {
    throw new ValidationError('coordinator_has_no_institution');
  }
  if (await UserModel.exists({ email: input.email })) throw new Conflict('user_exists');
  const user = await UserModel.create({
    email: input.email,
    name: input.name ?? '',
    passwordHash: await hashPassword(input.password),
    role: input.role,
    institution: institutionId,
    language: input.language ?? 'lv',
  });
  await recordAudit({
    actor,
    action: 'user.create',
    target: { type: 'user', id: String(user._id), label: user.email },
    institution: institutionCode,
    ip,
    details: { role: user.role },
  });
  return user;
}

/** Turns a stored user into the actor that services receive. */
export async function toActor(user: UserDoc, via: Actor['via']): Promise<Actor> {
  const inst = user.institution ? await InstitutionModel.findById(user.institution, { code: 1 }).lean() : null;
  return {
    kind: 'user',
    id: String(user._id),
    email: user.email,
    name: user.name ?? '',
    role: user.role,
    institutionId: user.institution ? String(user.institution) : null,
    institutionCode: inst?.code ?? null,
    language: (user.language ?? 'lv') as Actor['language'],
    via,
  };
}

/** Coordinators list staff accounts. */
export async function listUsers() {
  const users = await UserModel.find({}, { passwordHash: 0 }).sort({ email: 1 }).lean();
  const insts = await InstitutionModel.find({ _id: { $in: users.map((u) => u.institution).filter(Boolean) } }, { code: 1 }).lean();
  const codeOf = new Map(insts.map((i) => [String(i._id), i.code]));
  return users.map((u) => ({
    id: String(u._id),
    email: u.email,
    name: u.name,
    role: u.role,
    institution: u.institution ? (codeOf.get(String(u.institution)) ?? null) : null,
    active: u.active,
    lastSignInAt: u.lastSignInAt ? u.lastSignInAt.toISOString() : null,
  }));
}

/** How many staff accounts there are. */
export async function countUsers(): Promise<number> {
  return UserModel.countDocuments({});
}

/** Activates or deactivates an account (a deactivated one cannot sign in or use its tokens). */
export async function setUserActive(actor: Actor, userId: string, active: boolean, ip: string | null): Promise<void> {
  const user = await UserModel.findByIdAndUpdate(userId, { $set: { active } }, { new: true });
  if (!user) throw new NotFound('user_not_found');
  await recordAudit({ actor, action: active ? 'user.activate' : 'user.deactivate', target: { type: 'user', id: userId, label: user.email }, ip });
}
