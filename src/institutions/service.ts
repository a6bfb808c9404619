import { z } from 'zod';
import type { Actor, AnyActor } from '../auth/actor.ts';
import { findInstitutionFor, scopeFilter } from '../auth/scope.ts';
import { recordAudit } from '../audit/service.ts';
import { NotFound, ValidationError } from '../errors.ts';
import { isCalendarDay, rigaToday } from '../shared/dates.ts';
import { GroupModel, InstitutionModel, type InstitutionDoc } from './model.ts';

const day = z.string().refine(isCalendarDay, 'invalid_date');

export const InstitutionInputSchema = z
  .object({
    code: z.string().trim().min(1).max(40).regex(/^[\p{L}\p{N}_.-]+$/u, 'invalid_code'),
    name: z.string().trim().min(1).max(200),
    type: z.enum(['school', 'kindergarten']),
    address: z.string().trim().max(300).optional(),
    base: z.boolean().optional(),
    baseFrom: day.optional(),
    baseTo: day.optional(),
  })
  .refine((v) => !v.baseFrom || !v.baseTo || v.baseFrom <= v.baseTo, { message: 'base_period_reversed', path: ['baseTo'] })
  .refine((v) => v.base || (!v.baseFrom && !v.baseTo), { message: 'base_dates_without_base', path: ['base'] })
  .refine((v) => !v.base || v.type === 'kindergarten', { message: 'base_requires_kindergarten', path: ['base'] });
export type InstitutionInput = z.infer<typeof InstitutionInputSchema>;

export const GroupInputSchema = z.object({
  institution: z.string().trim().min(1),
  name: z.string().trim().min(1).max(100),
  capacity: z.coerce.number().int('capacity_not_integer').min(0, 'capacity_negative').max(1000),
});
export type GroupInput = z.infer<typeof GroupInputSchema>;

/** Creates an institution, or updates the one with this code, so scripts can be run again safely. */
export async function saveInstitution(actor: AnyActor, input: InstitutionInput, ip: string | null = null): Promise<{ institution: InstitutionDoc; created: boolean }> {
  const existing = await InstitutionModel.findOne({ code: input.code });
  const inst = existing ?? new InstitutionModel({ code: input.code });
  inst.name = input.name;
  inst.type = input.type;
  if (input.address !== undefined) inst.address = input.address;
  if (input.base) {
    const period = { from: input.baseFrom ?? null, to: input.baseTo ?? null };
    const same = inst.basePeriods.some((p) => p.from === period.from && p.to === period.to);
    if (!same) inst.basePeriods.push(period);
  }
  await inst.save();
  await recordAudit({
    actor,
    action: existing ? 'institution.update' : 'institution.create',
    target: { type: 'institution', id: String(inst._id), label: inst.code },
    institution: inst.code,
    ip,
    details: { name: inst.name, type: inst.type, base: input.base ?? false, baseFrom: input.baseFrom ?? null, baseTo: input.baseTo ?? null },
  });
  return { institution: inst, created: !existing };
}

/** Adds a group to an institution or changes its capacity. */
export async function saveGroup(actor: AnyActor, input: GroupInput, ip: string | null = null) {
  const inst = await InstitutionModel.findOne({ code: input.institution });
  if (!inst) throw new NotFound('institution_not_found');
  if (inst.type !== 'kindergarten') throw new ValidationError('groups_only_in_kindergartens');
  const existing = await GroupModel.findOne({ institution: inst._id, name: input.name });
  const group = await GroupModel.findOneAndUpdate(
    { institution: inst._id, name: input.name },
    { $set: { capacity: input.capacity } },
    { upsert: true, new: true },
  );
  await recordAudit({
    actor,
    action: existing ? 'group.update' : 'group.create',
    target: { type: 'group', id: String(group._id), label: group.name },
    institution: inst.code,
    ip,
    details: { capacity: input.capacity, previousCapacity: existing?.capacity ?? null },
  });
  return { group, created: !existing };
}

/** True when the institution is a base kindergarten on `day` (YYYY-MM-DD, Riga). */
export function isBaseOn(inst: Pick<InstitutionDoc, 'basePeriods'>, day: string = rigaToday()): boolean {
  return inst.basePeriods.some((p) => (!p.from || p.from <= day) && (!p.to || day <= p.to));
}

function present(inst: InstitutionDoc) {
  return {
    code: inst.code,
    name: inst.name,
    type: inst.type,
    address: inst.address,
    basePeriods: inst.basePeriods.map((p) => ({ from: p.from ?? null, to: p.to ?? null })),
    baseToday: isBaseOn(inst),
  };
}

/** Institutions the actor may see: all for a coordinator, their own for a principal. */
export async function listInstitutions(actor: Actor) {
  const docs = await InstitutionModel.find(scopeFilter(actor, '_id')).sort({ type: 1, name: 1 });
  return docs.map(present);
}

/** One institution with its groups, within the actor's scope. */
export async function getInstitution(actor: Actor, code: string) {
  const inst = await findInstitutionFor(actor, code);
  const groups = await GroupModel.find({ institution: inst._id }).sort({ name: 1 }).lean();
  return { ...present(inst), groups: groups.map((g) => ({ id: String(g._id), name: g.name, capacity: g.capacity })) };
}
