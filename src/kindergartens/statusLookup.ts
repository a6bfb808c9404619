import type { Types } from 'mongoose';
import { GroupModel, InstitutionModel } from '../institutions/model.ts';
import { rigaToday } from '../shared/dates.ts';
import type { StatusItem } from '../status/registry.ts';
import { PlacementRequestModel, type PlacementRequest } from './model.ts';
import { waitingPosition } from './placementService.ts';

type RequestView = Pick<PlacementRequest, '_id' | 'child' | 'status' | 'history' | 'institution' | 'group' | 'placedFrom' | 'receivedAt'>;

async function placeOf(institution: Types.ObjectId | null | undefined, group: Types.ObjectId | null | undefined) {
  const [inst, g] = await Promise.all([
    institution ? InstitutionModel.findById(institution, { name: 1, address: 1 }).lean() : null,
    group ? GroupModel.findById(group, { name: 1 }).lean() : null,
  ]);
  return { place: inst ? [inst.name, inst.address].filter(Boolean).join(', ') : null, group: g?.name ?? null };
}

/**
 * What a parent sees of a request for a base-kindergarten place: the child's first name, the
 * decision and its steps, and for a place the kindergarten, group and first day; for the waiting
 * list the place in the queue. Nothing else: no surname, code, employer or other children.
 */
export async function kindergartenStatusLookup(code: string): Promise<StatusItem[]> {
  const r = await PlacementRequestModel.collection.findOne<RequestView>(
    { referenceCode: code },
    { projection: { 'child.firstName': 1, status: 1, history: 1, institution: 1, group: 1, placedFrom: 1, receivedAt: 1 } },
  );
  if (!r) return [];
  const steps: StatusItem['steps'] = [];
  for (const h of r.history ?? []) {
    if (steps.at(-1)?.status === h.status) continue;
    steps.push({ status: h.status, date: rigaToday(h.at) });
  }
  const details: Record<string, string | null> = {};
  if (r.status === 'placed') {
    const { place, group } = await placeOf(r.institution, r.group);
    details.kindergartenPlace = place;
    details.groupName = group;
    details.placedFrom = r.placedFrom ?? null;
  }
  if (r.status === 'waiting') details.waitingPosition = String(await waitingPosition(r));
  return [{ kind: 'kindergarten', firstName: r.child.firstName, status: r.status, steps, details }];
}
