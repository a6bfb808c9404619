import type { Types } from 'mongoose';
import { actorTag, type AnyActor } from '../auth/actor.ts';
import { guardedUpdate } from '../shared/claims.ts';
import { syncNeedEntries } from './needEntries.ts';
import { DeviceModel, DeviceNeedModel, type Device, type DeviceNeed, type DeviceStatus, type NeedStatus } from './model.ts';

/**
 * Every change of a need's or a device's status goes through these guarded single-document
 * updates (src/shared/claims.ts): the change names the states it may start from, so two people
 * acting at once can never both succeed (the loser gets null and reports a conflict). There are no multi-document
 * transactions, so where a need and a device change together the device is claimed first and
 * released again when the need cannot follow.
 */

type Change = { set?: Record<string, unknown>; note?: string | null; guard?: Record<string, unknown> };

const step = (to: string, actor: AnyActor, change: Change) => ({
  $set: { status: to, ...change.set },
  $push: { history: { status: to, at: new Date(), by: actorTag(actor), note: change.note ?? null } },
});

/** Moves a need from one of `from` to `to`; null when it is no longer in one of those states. */
export async function moveNeed(id: Types.ObjectId | string, from: readonly NeedStatus[], to: NeedStatus, actor: AnyActor, change: Change = {}) {
  const need = await guardedUpdate<DeviceNeed & { _id: Types.ObjectId; version?: number }>(DeviceNeedModel, id, from, change.guard ?? {}, step(to, actor, change));
  // The allocation proposal's and the parents' entries follow every change of status (needEntries.ts).
  if (need) await syncNeedEntries(need);
  return need;
}

/** Moves a device from one of `from` to `to`; null when it is no longer in one of those states. */
export async function moveDevice(id: Types.ObjectId | string, from: readonly DeviceStatus[], to: DeviceStatus, actor: AnyActor, change: Change = {}) {
  return guardedUpdate<Device & { _id: Types.ObjectId; version?: number }>(DeviceModel, id, from, change.guard ?? {}, step(to, actor, change));
}

/** Puts a device allocated to `need` back in stock (used when the need was cancelled or could not follow). */
export async function releaseDevice(deviceId: Types.ObjectId, needId: Types.ObjectId, actor: AnyActor, note: string) {
  return moveDevice(deviceId, ['allocated'], 'in_stock', actor, { guard: { need: needId }, set: { need: null, stockedAt: new Date() }, note });
}
