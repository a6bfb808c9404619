import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { findInstitutionFor, scopeFilter } from '../auth/scope.ts';
import { PupilModel } from '../pupils/model.ts';
import { DeviceNeedModel, needStatuses } from './model.ts';

export const NeedListQuerySchema = z.object({
  institution: z.string().trim().max(40).optional(),
  status: z.enum(needStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export type NeedListQuery = z.infer<typeof NeedListQuerySchema>;

/**
 * The device needs in the actor's scope, optionally of one institution (a principal naming another
 * institution gets 404), with each pupil's name, class and masked personal code. Pupils are read
 * with a second query rather than a join, which FerretDB does not have.
 */
export async function listDeviceNeeds(actor: Actor, query: NeedListQuery) {
  const filter: Record<string, unknown> = { ...scopeFilter(actor) };
  if (query.institution) filter.institution = (await findInstitutionFor(actor, query.institution))._id;
  if (query.status) filter.status = query.status;
  const needs = await DeviceNeedModel.find(filter).sort({ createdAt: 1, _id: 1 }).limit(query.limit).lean();
  const pupils = await PupilModel.find({ _id: { $in: needs.map((n) => n.pupil) } }, { personalCodeEnc: 0, personalCodeHash: 0 }).lean();
  const byId = new Map(pupils.map((p) => [String(p._id), p]));
  return needs.map((need) => ({ need, pupil: byId.get(String(need.pupil)) ?? null }));
}
