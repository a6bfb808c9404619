import mongoose, { Schema, Types } from 'mongoose';
import { PupilModel } from '../pupils/model.ts';
import { findByIds } from '../shared/byIds.ts';
import { insertAll } from '../shared/bulkWrites.ts';
import { mapLimit } from '../shared/concurrency.ts';
import { rigaToday } from '../shared/dates.ts';
import type { StatusStep } from '../status/registry.ts';
import { DeviceNeedModel } from './model.ts';

/**
 * What the parents' status lookup reads of a device need: one small entry per need, kept beside
 * it. The embedded database decodes a whole need (its history with who and why, contacts,
 * hand-over) for every lookup before it can leave out what the lookup does not use; under
 * scripts/bench/status that decoding was a third of the database's work per lookup. An entry
 * holds the answer's facts and nothing more.
 *
 * The needs stay the truth, as with the allocation entries (openNeeds.ts): every change of a need
 * writes its entry right after it (needEntries.ts), a need without an entry (a list's new pupils,
 * until the next mending run) is answered from the need itself, and `rebuildNeedStatuses` (a
 * worker schedule) compares every entry with its need and mends it. An entry can only be wrong
 * after a process stopped between the two writes, or two changes of one need landed in the other
 * order; the parent then sees the step before until the next run, never another child's data.
 */
const StepSchema = new Schema({ status: { type: String, required: true }, date: { type: String, required: true } }, { _id: false });
const NeedStatusSchema = new Schema(
  {
    // The need's id.
    _id: { type: Schema.Types.ObjectId, required: true },
    referenceCode: { type: String, required: true, index: true },
    firstName: { type: String, default: '' },
    institution: { type: Schema.Types.ObjectId, required: true },
    status: { type: String, required: true },
    steps: { type: [StepSchema], default: [] },
    deviceType: { type: String, required: true },
    deliveryMethod: { type: String, default: null },
    pickupFrom: { type: String, default: null },
    pickupHours: { type: String, default: null },
    deliveryDay: { type: String, default: null },
    syncedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export const NeedStatusModel = mongoose.model('NeedStatus', NeedStatusSchema, 'needstatuses');

/** The facts a parent's answer is made of. */
export type NeedStatusFacts = {
  referenceCode: string;
  firstName: string;
  institution: Types.ObjectId;
  status: string;
  steps: StatusStep[];
  deviceType: string;
  deliveryMethod: string | null;
  pickupFrom: string | null;
  pickupHours: string | null;
  deliveryDay: string | null;
};

/** The fields of a need its entry is made from. */
export const needStatusFields = { referenceCode: 1, firstName: 1, pupil: 1, institution: 1, status: 1, history: 1, deviceType: 1, deliveryMethod: 1, pickup: 1, delivery: 1 } as const;
export type NeedForStatus = {
  _id: Types.ObjectId;
  referenceCode: string;
  firstName?: string | null;
  pupil: Types.ObjectId;
  institution: Types.ObjectId;
  status?: string | null;
  history?: Array<{ status: string; at: Date }> | null;
  deviceType: string;
  deliveryMethod?: string | null;
  pickup?: { from?: string | null; hours?: string | null } | null;
  delivery?: { day?: string | null } | null;
};

// A change written by another machine up to this much "before" a rebuild began (clocks differ)
// still counts as newer than what the rebuild read.
const clockSlackMs = 60_000;

/** The steps a parent sees: each status with its day in Riga; a status recorded again (a list uploaded twice) shows once. */
export function statusSteps(history: NeedForStatus['history']): StatusStep[] {
  const steps: StatusStep[] = [];
  for (const h of history ?? []) {
    if (steps.at(-1)?.status === h.status) continue;
    steps.push({ status: h.status, date: rigaToday(h.at) });
  }
  return steps;
}

/** The facts of a need, with the first name as resolved by `firstNamesOf`. */
export function statusFactsOf(need: NeedForStatus, firstName: string): NeedStatusFacts {
  return {
    referenceCode: need.referenceCode,
    firstName,
    institution: need.institution,
    status: need.status ?? 'registered',
    steps: statusSteps(need.history),
    deviceType: need.deviceType,
    deliveryMethod: need.deliveryMethod ?? null,
    pickupFrom: need.pickup?.from ?? null,
    pickupHours: need.pickup?.hours ?? null,
    deliveryDay: need.delivery?.day ?? null,
  };
}

/** Each need's copy of the first name; the pupil's record for a need written before the copy existed. */
async function firstNamesOf(needs: NeedForStatus[]): Promise<Map<string, string>> {
  const names = new Map(needs.map((n) => [String(n._id), n.firstName ?? '']));
  const without = needs.filter((n) => !n.firstName);
  if (without.length) {
    const pupils = new Map(
      (await findByIds<{ _id: Types.ObjectId; firstName: string }>(PupilModel, without.map((n) => n.pupil), { firstName: 1 })).map((p) => [String(p._id), p.firstName]),
    );
    for (const n of without) names.set(String(n._id), pupils.get(String(n.pupil)) ?? '');
  }
  return names;
}

/** The facts of one need, read from the need itself (for a need whose entry is not written yet). */
export async function needStatusFacts(need: NeedForStatus): Promise<NeedStatusFacts> {
  return statusFactsOf(need, (await firstNamesOf([need])).get(String(need._id)) ?? '');
}

/** Writes the entry of a need just written (its state as that write left it). */
export async function syncNeedStatus(need: NeedForStatus, now = new Date()): Promise<void> {
  const facts = await needStatusFacts(need);
  await NeedStatusModel.collection.updateOne({ _id: need._id }, { $set: { ...facts, syncedAt: now } }, { upsert: true });
}

/** The entry for a reference code (as stored, grouped), or null when there is none. */
export async function readNeedStatus(code: string): Promise<NeedStatusFacts | null> {
  // Through the driver: nothing to cast, and a mongoose query costs the API measurable CPU per lookup.
  return NeedStatusModel.collection.findOne<NeedStatusFacts>({ referenceCode: code }, { projection: { _id: 0, syncedAt: 0 } });
}

type Entry = NeedStatusFacts & { _id: Types.ObjectId; syncedAt: Date };

/** A comparable form of the facts: two entries say the same when these are equal. */
const factsKey = (f: NeedStatusFacts) =>
  JSON.stringify([f.referenceCode, f.firstName, String(f.institution), f.status, f.steps.map((s) => [s.status, s.date]), f.deviceType, f.deliveryMethod, f.pickupFrom, f.pickupHours, f.deliveryDay]);

const batchSize = 1000;

/**
 * Compares every entry with its need and mends those that differ: missing ones are added, wrong
 * ones rewritten, ones without a need removed. The needs are read in batches, so a city's needs
 * never sit in memory at once. An entry written after this run began is newer than what it read
 * and is left alone; each mend is conditional on the entry being as it was read.
 */
export async function rebuildNeedStatuses(now = new Date()): Promise<{ added: number; changed: number; removed: number }> {
  const newerThan = now.getTime() - clockSlackMs;
  const entries = new Map((await NeedStatusModel.find({}).lean<Entry[]>()).map((e) => [String(e._id), e]));
  const counts = { added: 0, changed: 0, removed: 0 };
  const mendBatch = async (needs: NeedForStatus[]) => {
    const names = await firstNamesOf(needs);
    const missing: Array<Record<string, unknown>> = [];
    const mends: Array<{ was: Entry; facts: NeedStatusFacts }> = [];
    for (const need of needs) {
      const facts = statusFactsOf(need, names.get(String(need._id)) ?? '');
      const entry = entries.get(String(need._id));
      entries.delete(String(need._id));
      if (!entry) missing.push({ _id: need._id, ...facts, syncedAt: now });
      else if (entry.syncedAt.getTime() < newerThan && factsKey(entry) !== factsKey(facts)) mends.push({ was: entry, facts });
    }
    // One written meanwhile by a change is newer than what this run read, and its insert is refused.
    counts.added += missing.length - (await insertAll(NeedStatusModel, missing)).size;
    await mapLimit(mends, 8, async ({ was, facts }) => {
      const done = await NeedStatusModel.collection.updateOne({ _id: was._id, syncedAt: was.syncedAt }, { $set: { ...facts, syncedAt: now } });
      counts.changed += done.modifiedCount;
    });
  };
  let batch: NeedForStatus[] = [];
  for await (const need of DeviceNeedModel.collection.find<NeedForStatus>({}, { projection: needStatusFields, batchSize })) {
    batch.push(need);
    if (batch.length === batchSize) {
      await mendBatch(batch);
      batch = [];
    }
  }
  await mendBatch(batch);
  // Left over: entries whose need is gone (or was made after the needs were read: newer, kept).
  await mapLimit([...entries.values()], 8, async (entry) => {
    if (entry.syncedAt.getTime() >= newerThan) return;
    counts.removed += (await NeedStatusModel.collection.deleteOne({ _id: entry._id, syncedAt: entry.syncedAt })).deletedCount;
  });
  return counts;
}
