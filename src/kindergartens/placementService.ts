import { Types } from 'mongoose';
import { z } from 'zod';
import { actorTag, type Actor, type AnyActor } from '../auth/actor.ts';
import { recordAudit } from '../audit/service.ts';
import { Conflict, NotFound, ValidationError } from '../errors.ts';
import { recordEvents } from '../events/service.ts';
import { calendarDay, optionalText } from '../http/fields.ts';
import { GroupModel, InstitutionModel } from '../institutions/model.ts';
import { isBaseOn } from '../institutions/service.ts';
import { newPlacementCode } from './referenceCode.ts';
import type { PersonalCodeKey } from '../pupils/personalCodes.ts';
import { checkedContact, checkedPersonalCode, storedPersonalCode } from '../pupils/identity.ts';
import { rigaToday } from '../shared/dates.ts';
import { GroupSeatsModel, PlacementRequestModel, requestStatuses, sectors, type PlacementRequest, type RequestStatus } from './model.ts';
import { moveRequest, releaseSeat, takeSeat } from './transitions.ts';
import { pupilSearchKeys } from '../pupils/searchKeys.ts';
import { escapeRegex } from '../shared/regex.ts';

export const RequestInputSchema = z.object({
  firstName: z.string().trim().min(1, 'first_name_required').max(100),
  lastName: z.string().trim().min(1, 'last_name_required').max(100),
  personalCode: z.string().trim().min(1, 'invalid_personal_code').max(20),
  parentName: optionalText(200),
  parentPhone: optionalText(40),
  parentEmail: optionalText(200),
  language: z.enum(['lv', 'ru', 'en']).default('lv'),
  employer: z.string().trim().min(1, 'employer_required').max(200),
  sector: z.enum(sectors, { message: 'invalid_sector' }),
  neededFrom: calendarDay(),
  preferredArea: optionalText(200),
  note: optionalText(500),
});
export type RequestInput = z.infer<typeof RequestInputSchema>;

export const RequestListQuerySchema = z.object({
  status: z.enum(requestStatuses).optional(),
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

export const PlaceSchema = z.object({ group: z.string().trim().min(1, 'group_required') });
export const ReasonSchema = z.object({ reason: z.string().trim().min(1, 'reason_required').max(500) });

const open: readonly RequestStatus[] = ['received', 'waiting'];

/** A request by id; 404 when there is none. Requests belong to the office, so only coordinators reach this. */
export async function findRequest(id: string) {
  if (!Types.ObjectId.isValid(id)) throw new NotFound('request_not_found');
  const r = (await PlacementRequestModel.findById(id).lean()) as PlacementRequest | null;
  if (!r) throw new NotFound('request_not_found');
  return r;
}

/** The child's and parent's details checked and normalised, or a ValidationError naming the field. */
export function checkRequestPerson(input: Pick<RequestInput, 'personalCode' | 'parentPhone' | 'parentEmail'>) {
  return { code: checkedPersonalCode(input.personalCode), ...checkedContact(input.parentPhone, input.parentEmail) };
}

/**
 * Registers a request for a place. One child has at most one open request or place: a second one
 * while the first is received, waiting or placed is a 409 (the unique `activeKey` holds this even
 * when two are entered at the same moment).
 */
export async function registerRequest(actor: AnyActor, input: RequestInput, key: PersonalCodeKey, ip: string | null, receivedAt = new Date()) {
  const person = checkRequestPerson(input);
  const stored = storedPersonalCode(key, person.code);
  const hash = stored.personalCodeHash;
  for (let attempt = 0; ; attempt++) {
    try {
      const doc = await PlacementRequestModel.create({
        child: { firstName: input.firstName, lastName: input.lastName, ...stored },
        searchKeys: pupilSearchKeys({ firstName: input.firstName, lastName: input.lastName, personalCodeMasked: stored.personalCodeMasked }),
        parent: { name: input.parentName, phone: person.phone, email: person.email, language: input.language },
        employer: input.employer,
        sector: input.sector,
        neededFrom: input.neededFrom,
        preferredArea: input.preferredArea,
        note: input.note,
        receivedAt,
        status: 'received',
        activeKey: hash,
        referenceCode: newPlacementCode(),
        history: [{ status: 'received', at: receivedAt, by: actorTag(actor), note: null }],
      });
      await recordEvents([{ type: 'kindergarten.request_received', key: `kindergarten.request_received:${doc._id}`, subject: { kind: 'placementRequest', id: doc._id } }]);
      await recordAudit({ actor, action: 'placement_request.create', target: { type: 'placementRequest', id: String(doc._id) }, ip });
      return doc.toObject() as PlacementRequest;
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      // Not every backend says which unique key clashed: an open request of the child is the
      // answer; otherwise the random reference code clashed and is drawn again.
      if (await PlacementRequestModel.exists({ activeKey: hash })) throw new Conflict('request_exists');
      if (attempt >= 3) throw err;
    }
  }
}


/** Requests by status and text; the waiting list comes in order of arrival, so its order is the queue. */
export async function listRequests(query: z.infer<typeof RequestListQuerySchema>) {
  const filter: Record<string, unknown> = {};
  if (query.status) filter.status = query.status;
  if (query.q) {
    const re = { $regex: escapeRegex(query.q), $options: 'i' };
    filter.$or = [{ 'child.firstName': re }, { 'child.lastName': re }, { employer: re }, { referenceCode: { $regex: '^' + escapeRegex(query.q.toUpperCase()) } }];
  }
  return (await PlacementRequestModel.find(filter, { history: 0, 'child.personalCodeEnc': 0, 'child.personalCodeHash': 0 })
    .sort({ receivedAt: 1, _id: 1 })
    .limit(query.limit)
    .lean()) as PlacementRequest[];
}

/** The request's place in the waiting queue (1 = next), or null when it is not waiting. */
export async function waitingPosition(r: Pick<PlacementRequest, '_id' | 'status' | 'receivedAt'>): Promise<number | null> {
  if (r.status !== 'waiting') return null;
  const ahead = await PlacementRequestModel.countDocuments({
    status: 'waiting',
    $or: [{ receivedAt: { $lt: r.receivedAt } }, { receivedAt: r.receivedAt, _id: { $lt: r._id } }],
  });
  return ahead + 1;
}

/** The first day of care: the day asked for, or today when that has passed. */
export function startDay(r: Pick<PlacementRequest, 'neededFrom'>, today = rigaToday()): string {
  return r.neededFrom > today ? r.neededFrom : today;
}

/**
 * Groups that could take the child: in kindergartens that are base kindergartens on the first day
 * of care, with a free seat; those whose name or address mentions the preferred area come first.
 */
export async function placementOptions(r: Pick<PlacementRequest, 'neededFrom' | 'preferredArea'>) {
  const day = startDay(r);
  const kindergartens = (await InstitutionModel.find({ type: 'kindergarten' }).lean()).filter((i) => isBaseOn(i, day));
  const groups = await GroupModel.find({ institution: { $in: kindergartens.map((k) => k._id) } }).lean();
  const seats = await GroupSeatsModel.find({ group: { $in: groups.map((g) => g._id) } }, { group: 1, placed: 1 }).lean();
  const taken = new Map(seats.map((s) => [String(s.group), s.placed.length]));
  const byId = new Map(kindergartens.map((k) => [String(k._id), k]));
  const area = (r.preferredArea ?? '').trim().toLowerCase();
  return groups
    .map((g) => {
      const k = byId.get(String(g.institution))!;
      const free = g.capacity - (taken.get(String(g._id)) ?? 0);
      const inArea = !!area && `${k.name} ${k.address ?? ''}`.toLowerCase().includes(area);
      return { groupId: String(g._id), group: g.name, capacity: g.capacity, free, institution: k.code, institutionName: k.name, address: k.address ?? '', inArea };
    })
    .filter((o) => o.free > 0)
    .sort((a, b) => Number(b.inArea) - Number(a.inArea) || b.free - a.free || a.institutionName.localeCompare(b.institutionName) || a.group.localeCompare(b.group));
}

/**
 * Places the child in a group. The seat is taken first (guarded, never above capacity) and the
 * request follows; when the request cannot follow (someone else placed or withdrew it meanwhile)
 * the seat is given back. A crash between the two leaves a held seat (the group counts one child
 * too many, never one too few) that the next placement of the same request in that group finds and
 * keeps, and that placing it elsewhere or withdrawing it gives back.
 */
export async function placeRequest(actor: Actor, id: string, groupId: string, ip: string | null) {
  const r = await findRequest(id);
  if (!open.includes(r.status as RequestStatus)) throw new Conflict('request_not_open', undefined, { status: r.status });
  if (!Types.ObjectId.isValid(groupId)) throw new ValidationError('unknown_group');
  const group = await GroupModel.findById(groupId).lean();
  if (!group) throw new ValidationError('unknown_group');
  const inst = await InstitutionModel.findById(group.institution).lean();
  const from = startDay(r);
  if (!inst || !isBaseOn(inst, from)) throw new Conflict('not_base_that_day', undefined, { day: from });

  const seat = await takeSeat(group._id, r._id, async () => (await GroupModel.findById(group._id, { capacity: 1 }).lean())?.capacity ?? 0);
  if (seat === 'full') throw new Conflict('group_full', undefined, { group: group.name });
  if (seat === 'busy') throw new Conflict('placement_busy');
  const placed = await moveRequest(r._id, open, 'placed', actor, { set: { institution: inst._id, group: group._id, placedFrom: from } });
  if (!placed) {
    await releaseSeat(group._id, r._id);
    throw new Conflict('request_not_open');
  }
  // A seat this request still holds in another group is left over from a placement cut off
  // between its two writes. It is given back only now that the request is placed here: before,
  // it could be the seat of another coordinator's placement of the same child still in flight.
  await releaseSeatsElsewhere(r._id, group._id);
  await recordEvents([
    { type: 'kindergarten.placed', key: `kindergarten.placed:${r._id}:${placed.version}`, subject: { kind: 'placementRequest', id: r._id }, institution: inst._id, data: { from } },
  ]);
  await recordAudit({ actor, action: 'placement_request.place', target: { type: 'placementRequest', id }, institution: inst.code, ip, details: { group: group.name, from } });
  return placed;
}

/** Gives back every seat the request holds outside `keep` (left over from interrupted placements). */
async function releaseSeatsElsewhere(request: Types.ObjectId, keep: Types.ObjectId | null) {
  const held = await GroupSeatsModel.find({ placed: request }, { group: 1 }).lean();
  for (const h of held) if (!keep || String(h.group) !== String(keep)) await releaseSeat(h.group, request);
}

/** Puts a received request on the waiting list; its place in the queue is its arrival. */
export async function putOnWaitingList(actor: Actor, id: string, ip: string | null) {
  const r = await findRequest(id);
  const moved = await moveRequest(r._id, ['received'], 'waiting', actor);
  if (!moved) throw new Conflict('request_not_received', undefined, { status: r.status });
  await recordEvents([{ type: 'kindergarten.waiting', key: `kindergarten.waiting:${r._id}`, subject: { kind: 'placementRequest', id: r._id } }]);
  await recordAudit({ actor, action: 'placement_request.wait', target: { type: 'placementRequest', id }, ip });
  return moved;
}

/** Withdraws an open request (the parent no longer needs care, or it was entered by mistake). */
export async function withdrawRequest(actor: Actor, id: string, reason: string, ip: string | null) {
  const r = await findRequest(id);
  const moved = await moveRequest(r._id, open, 'withdrawn', actor, { note: reason, set: { activeKey: `${r.child.personalCodeHash}:${r._id}` } });
  if (!moved) throw new Conflict('request_not_open', undefined, { status: r.status });
  await releaseSeatsElsewhere(r._id, null);
  await recordAudit({ actor, action: 'placement_request.withdraw', target: { type: 'placementRequest', id }, ip });
  return moved;
}

/** Ends a placement: the child leaves and the seat is free for the next on the waiting list. */
export async function endPlacement(actor: Actor, id: string, reason: string, ip: string | null) {
  const r = await findRequest(id);
  const moved = await moveRequest(r._id, ['placed'], 'ended', actor, { note: reason, set: { activeKey: `${r.child.personalCodeHash}:${r._id}` } });
  if (!moved) throw new Conflict('request_not_placed', undefined, { status: r.status });
  if (r.group) await releaseSeat(r.group, r._id);
  await recordAudit({ actor, action: 'placement_request.end', target: { type: 'placementRequest', id }, ip });
  return moved;
}

/** The children placed in a group on a day (for ticking them present), by name. */
export async function childrenInGroup(group: Types.ObjectId, day: string) {
  const rows = (await PlacementRequestModel.find({ group, status: 'placed' }, { 'child.firstName': 1, 'child.lastName': 1, placedFrom: 1 }).lean()) as PlacementRequest[];
  return rows
    .filter((r) => !r.placedFrom || r.placedFrom <= day)
    .map((r) => ({ id: String(r._id), firstName: r.child.firstName, lastName: r.child.lastName }))
    .sort((a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName));
}

/** One request with where it stands, for its page and the API. */
export async function getRequest(id: string) {
  const r = await findRequest(id);
  const [position, group, inst] = await Promise.all([
    waitingPosition(r),
    r.group ? GroupModel.findById(r.group, { name: 1 }).lean() : null,
    r.institution ? InstitutionModel.findById(r.institution, { code: 1, name: 1 }).lean() : null,
  ]);
  return { request: r, position, group: group?.name ?? null, institution: inst ? { code: inst.code, name: inst.name } : null };
}
