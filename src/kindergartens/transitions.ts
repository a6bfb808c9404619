import type { Types } from 'mongoose';
import type { AnyActor } from '../auth/actor.ts';
import { actorTag } from '../devices/transitions.ts';
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
 * Takes a seat in the group for the request: 'taken' (or already held), 'full', or 'busy' after many lost races. Each try reads
 * the seats, checks the count against `capacity`, and writes through a guarded update on the
 * version it read, so of two coordinators placing at once only one can take the last seat; the
 * other reads again and finds the group full.
 */
export async function takeSeat(group: Types.ObjectId, request: Types.ObjectId, capacity: () => Promise<number>): Promise<'taken' | 'full' | 'busy'> {
  for (let i = 0; i < maxTries; i++) {
    const seats = await seatsOf(group);
    if (seats.placed.some((p) => String(p) === String(request))) return 'taken';
    if (seats.placed.length >= (await capacity())) return 'full';
    const won = await guardedUpdate(GroupSeatsModel, seats._id, null, { version: seats.version }, { $push: { placed: request } });
    if (won) return 'taken';
    await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 20)));
  }
  // Twenty lost races in a row: far more coordinators than exist; the caller reports a conflict.
  return 'busy';
}

/** Gives the request's seat in the group back; true when it is no longer held. */
export async function releaseSeat(group: Types.ObjectId, request: Types.ObjectId): Promise<boolean> {
  for (let i = 0; i < maxTries; i++) {
    const seats = await seatsOf(group);
    if (!seats.placed.some((p) => String(p) === String(request))) return true;
    const won = await guardedUpdate(GroupSeatsModel, seats._id, null, { version: seats.version }, { $pull: { placed: request } });
    if (won) return true;
    await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 20)));
  }
  return false;
}
