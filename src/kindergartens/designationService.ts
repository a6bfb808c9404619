import { Types } from 'mongoose';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { findInstitutionFor, scopeFilter } from '../auth/scope.ts';
import { recordAudit } from '../audit/service.ts';
import { calendarDay } from '../http/fields.ts';
import { ValidationError } from '../errors.ts';
import { GroupModel, InstitutionModel, type Group, type InstitutionDoc } from '../institutions/model.ts';
import { isBaseOn, saveGroup } from '../institutions/service.ts';
import { rigaToday } from '../shared/dates.ts';
import { GroupSeatsModel } from './model.ts';

export const DesignationSchema = z
  .object({
    from: calendarDay(),
    to: calendarDay().nullish().transform((v) => v ?? null),
    groups: z
      .array(
        z.object({
          name: z.string().trim().min(1, 'group_name_required').max(100),
          capacity: z.coerce.number().int('capacity_not_integer').min(0, 'capacity_negative').max(1000),
        }),
      )
      .max(50)
      .default([]),
  })
  .refine((v) => !v.to || v.from <= v.to, { message: 'base_period_reversed', path: ['to'] });
export type DesignationInput = z.infer<typeof DesignationSchema>;

/**
 * Marks a kindergarten as a base kindergarten for a period and sets its groups' capacities. A
 * period with the same first day is changed rather than added, so the coordinator ends or extends
 * a period by naming its start again.
 */
export async function designateBase(actor: Actor, code: string, input: DesignationInput, ip: string | null) {
  const inst = await findInstitutionFor(actor, code);
  if (inst.type !== 'kindergarten') throw new ValidationError('base_requires_kindergarten');
  const same = inst.basePeriods.find((p) => p.from === input.from);
  if (same) same.to = input.to;
  else inst.basePeriods.push({ from: input.from, to: input.to });
  await inst.save();
  for (const g of input.groups) await saveGroup(actor, { institution: inst.code, name: g.name, capacity: g.capacity }, ip);
  await recordAudit({
    actor,
    action: 'kindergarten.designate',
    target: { type: 'institution', id: String(inst._id), label: inst.code },
    institution: inst.code,
    ip,
    details: { from: input.from, to: input.to, groups: input.groups.length },
  });
  return inst;
}

export type GroupView = { id: string; name: string; capacity: number; placed: number };

/** The groups of these kindergartens with how many children are placed in each. */
export async function groupsOf(institutionIds: Types.ObjectId[]) {
  const groups = await GroupModel.find({ institution: { $in: institutionIds } }).sort({ name: 1 }).lean();
  const seats = await GroupSeatsModel.find({ group: { $in: groups.map((g) => g._id) } }, { group: 1, placed: 1 }).lean();
  return withPlaced(groups, seats);
}

/**
 * Every group of every kindergarten, as groupsOf gives them, for views that cover the whole city
 * (see monitorDay). The groups and their seats are read side by side, since neither waits for the
 * other's ids: on the embedded FerretDB, where `$in` reads the whole collection anyway, each read
 * costs mostly the decoding of what it returns; on MongoDB a city's groups are a small read.
 */
export async function everyGroup() {
  const [groups, seats] = await Promise.all([GroupModel.find({}).sort({ name: 1 }).lean(), GroupSeatsModel.find({}, { group: 1, placed: 1 }).lean()]);
  return withPlaced(groups, seats);
}

function withPlaced(groups: Array<Pick<Group, 'institution' | 'name' | 'capacity'> & { _id: Types.ObjectId }>, seats: Array<{ group: Types.ObjectId; placed: unknown[] }>) {
  const placed = new Map(seats.map((s) => [String(s.group), s.placed.length]));
  return groups.map((g) => ({ institution: g.institution, id: String(g._id), _id: g._id, name: g.name, capacity: g.capacity, placed: placed.get(String(g._id)) ?? 0 }));
}

/** The base kindergartens on `day` within the actor's scope, by name. */
export async function baseKindergartensOn(actor: Actor, day: string = rigaToday()): Promise<InstitutionDoc[]> {
  const all = await InstitutionModel.find({ type: 'kindergarten', ...scopeFilter(actor, '_id') }).sort({ name: 1 });
  return all.filter((i) => isBaseOn(i, day));
}

/** Every kindergarten ever designated, within scope (for the lists of periods). */
export async function designatedKindergartens(actor: Actor): Promise<InstitutionDoc[]> {
  const all = await InstitutionModel.find({ type: 'kindergarten', ...scopeFilter(actor, '_id') }).sort({ name: 1 });
  return all.filter((i) => i.basePeriods.length > 0);
}

/** One kindergarten with its periods and groups, within scope. */
export async function getKindergarten(actor: Actor, code: string) {
  const inst = await findInstitutionFor(actor, code);
  if (inst.type !== 'kindergarten') throw new ValidationError('not_a_kindergarten');
  const groups = await groupsOf([inst._id]);
  return { inst, groups };
}
