import type { Types } from 'mongoose';
import { actorTag, type AnyActor } from '../auth/actor.ts';
import { guardedUpdate } from '../shared/claims.ts';
import { GroupSeatsModel, PlacementRequestModel, type GroupSeats, type PlacementRequest, type RequestStatus } from './model.ts';

type Change = { set?: Record<string, unknown>; note?: string | null; guard?: Record<string, unknown> };

/** Moves a request from one of `from` to `to` with a history step; null when it is no longer in one of those states. */
export async function moveRequest(id: Types.ObjectId | string, from: readonly RequestStatus[], to: RequestStatus, actor: AnyActor, change: Change = {}) {
  return guardedUpdate<PlacementRequest & { version?: number }>(PlacementRequestModel, id, from, change.guard ?? {}, {
    $set: { status: to, ...change.set },
    $push: { history: { status: to, at: new Date(), by: actorTag(actor), note: change.note ?? null } },
  });
}

/** The seats document of a group, made on first use (a racing maker's duplicate is harmless). */
export async function seatsOf(group: Types.ObjectId): Promise<GroupSeats> {
  const found = (await GroupSeatsModel.findOne({ group }).lean()) as GroupSeats | null;
  if (found) return found;
  try {
    await GroupSeatsModel.create({ group, placed: [], version: 0 });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
  return (await GroupSeatsModel.findOne({ group }).lean()) as unknown as GroupSeats;
}

const maxTries = 20;

/**
 * Changes a group's seats by a guarded update on the version read: `decide` looks at the seats
 * and either answers at once or names the update to make; a lost race reads the seats again.
 * Twenty lost races in a row (far more coordinators than exist) answer 'busy'.
 */
async function changeSeats<A extends string>(group: Types.ObjectId, decide: (seats: GroupSeats) => Promise<A | { update: Record<string, unknown>; then: A }>): Promise<A | 'busy'> {
  for (let i = 0; i < maxTries; i++) {
    const seats = await seatsOf(group);
    const d = await decide(seats);
    if (typeof d === 'string') return d;
    if (await guardedUpdate(GroupSeatsModel, seats._id, null, { version: seats.version }, d.update)) return d.then;
    await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 20)));
  }
  return 'busy';
}

const holds = (seats: GroupSeats, request: Types.ObjectId) => seats.placed.some((p) => String(p) === String(request));

/**
 * Takes a seat in the group for the request: 'taken' (or already held), 'full', or 'busy'. The
 * count is checked against `capacity` on the seats as read, and the write is guarded on their
 * version, so of two coordinators placing at once only one can take the last seat; the other
 * reads again and finds the group full.
 */
export function takeSeat(group: Types.ObjectId, request: Types.ObjectId, capacity: () => Promise<number>): Promise<'taken' | 'full' | 'busy'> {
  return changeSeats(group, async (seats) => {
    if (holds(seats, request)) return 'taken';
    if (seats.placed.length >= (await capacity())) return 'full';
    return { update: { $push: { placed: request } }, then: 'taken' };
  });
}

/** Gives the request's seat in the group back; true when it is no longer held. */
export async function releaseSeat(group: Types.ObjectId, request: Types.ObjectId): Promise<boolean> {
  const done = await changeSeats(group, async (seats) => (holds(seats, request) ? { update: { $pull: { placed: request } }, then: 'released' } : 'released'));
  return done === 'released';
}
