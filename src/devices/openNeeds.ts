import mongoose, { Schema, Types } from 'mongoose';
import { insertAll } from '../shared/bulkWrites.ts';
import { mapLimit } from '../shared/concurrency.ts';
import { MigrationModel } from '../shared/migrationModel.ts';
import type { OpenNeed } from './allocation.ts';
import { untouchedFrom } from './entryMending.ts';
import { DeviceNeedModel, deviceTypes } from './model.ts';
import { defaultPriority } from './priority.ts';

/**
 * The allocation proposal's list of needs waiting for a device: one small entry per need, kept
 * beside the need itself. The proposal reads every approved need without a device, and the
 * embedded database decodes each whole need (its history, contacts, hand-over) before it can
 * leave out the fields the proposal does not use: 50,000 needs took four to five seconds. The
 * same needs read from these entries take under a third of that.
 *
 * The needs stay the truth. Every change of a need's status or of what the proposal reads goes
 * through `syncOpenNeed` right after the need is written (needEntries.ts); a confirmation checks the need itself
 * again, so an entry that is wrong can only make a suggestion that is refused, or leave a need
 * out of proposals until it is mended, never make a wrong allocation.
 * An entry can go wrong only when a process stops between the two writes, or when two changes of
 * one need land in the other order: `rebuildOpenNeeds` (a worker schedule) compares every entry
 * with the needs and mends it. Until it has run once, the proposal reads the needs themselves.
 */
const OpenNeedSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    // The device type while the need is approved and has no device; `none` otherwise. A closed
    // need keeps its entry (as `none`), so a rebuild that read the need before it closed can see
    // that a newer change wrote the entry, and leaves it.
    slot: { type: String, required: true, index: true },
    institution: { type: Schema.Types.ObjectId, required: true },
    priority: { type: Number, default: null },
    needCreatedAt: { type: Date, required: true },
    syncedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export const OpenNeedModel = mongoose.model('OpenNeed', OpenNeedSchema);

const builtMarker = 'open-needs-built';
const closed = 'none';
/** The fields of a need its entry is made from. */
export const openNeedFields = { status: 1, device: 1, deviceType: 1, institution: 1, priority: 1, createdAt: 1 } as const;

/** The fields of a need the entry is made from. */
export type NeedForEntry = {
  _id: Types.ObjectId;
  status?: string;
  device?: unknown;
  deviceType: string;
  institution: Types.ObjectId;
  priority?: number | null;
  createdAt?: Date | null;
};

function entryOf(need: NeedForEntry) {
  return {
    slot: need.status === 'approved' && !need.device ? need.deviceType : closed,
    institution: need.institution,
    priority: need.priority ?? null,
    needCreatedAt: need.createdAt ?? new Date(0),
  };
}

/** Writes the entry of a need just written (its state as that write left it). */
export async function syncOpenNeed(need: NeedForEntry, now = new Date()): Promise<void> {
  await OpenNeedModel.collection.updateOne({ _id: need._id }, { $set: { ...entryOf(need), syncedAt: now } }, { upsert: true });
}

const toOpenNeed = (id: unknown, institution: unknown, type: string, priority: number | null | undefined, createdAt: Date | null | undefined): OpenNeed => ({
  id: String(id),
  institution: String(institution),
  type,
  priority: priority ?? defaultPriority,
  createdAt: createdAt?.getTime() ?? 0,
});

/** Every approved need without a device, read from the needs themselves (the slow, certain way). */
async function readWaitingNeeds(): Promise<NeedForEntry[]> {
  // Per device type, side by side: two smaller reads at once finish sooner than one large one.
  const lists = await Promise.all(deviceTypes.map((deviceType) => DeviceNeedModel.find({ status: 'approved', deviceType }, openNeedFields).lean<NeedForEntry[]>()));
  return lists.flat().filter((n) => !n.device);
}

/** The needs waiting for a device, read from the needs themselves: before the entries are built. */
export async function readOpenNeedsFromNeeds(): Promise<OpenNeed[]> {
  return (await readWaitingNeeds()).map((n) => toOpenNeed(n._id, n.institution, n.deviceType, n.priority, n.createdAt));
}

/** The needs waiting for a device, from the entries; null until the entries have been built once. */
export async function readOpenNeeds(): Promise<OpenNeed[] | null> {
  if (!(await MigrationModel.exists({ _id: builtMarker }))) return null;
  const lists = await Promise.all(deviceTypes.map((slot) => OpenNeedModel.find({ slot }, { institution: 1, priority: 1, needCreatedAt: 1 }).lean()));
  return lists.flatMap((list, i) => list.map((e) => toOpenNeed(e._id, e.institution, deviceTypes[i]!, e.priority, e.needCreatedAt)));
}

type Entry = { _id: Types.ObjectId; slot: string; institution: Types.ObjectId; priority: number | null; needCreatedAt: Date; syncedAt: Date };

const sameEntry = (a: ReturnType<typeof entryOf>, b: Entry) =>
  a.slot === b.slot && String(a.institution) === String(b.institution) && (a.priority ?? null) === (b.priority ?? null) && a.needCreatedAt.getTime() === b.needCreatedAt.getTime();

/**
 * Compares every entry with the needs and mends those that differ: missing ones are added, wrong
 * ones rewritten, ones whose need is no longer waiting closed. An entry written after this run
 * began is newer than what it read and is left alone; each mend is conditional on the entry being
 * as it was read, so a change landing meanwhile is not overwritten. Marks the entries built.
 */
export async function rebuildOpenNeeds(now = new Date()): Promise<{ added: number; changed: number; closed: number }> {
  const newerThan = untouchedFrom(now);
  const [waiting, entries] = await Promise.all([readWaitingNeeds(), OpenNeedModel.find({}).lean<Entry[]>()]);
  const byId = new Map(entries.map((e) => [String(e._id), e]));
  const counts = { added: 0, changed: 0, closed: 0 };
  const missing: Array<Record<string, unknown>> = [];
  const mends: Array<{ was: Entry; set: Record<string, unknown>; kind: 'changed' | 'closed' }> = [];
  for (const need of waiting) {
    const want = entryOf(need);
    const entry = byId.get(String(need._id));
    byId.delete(String(need._id));
    if (!entry) missing.push({ _id: need._id, ...want, syncedAt: now });
    else if (entry.syncedAt.getTime() < newerThan && !sameEntry(want, entry)) mends.push({ was: entry, set: { ...want, syncedAt: now }, kind: 'changed' });
  }
  for (const entry of byId.values()) {
    if (entry.slot !== closed && entry.syncedAt.getTime() < newerThan) mends.push({ was: entry, set: { slot: closed, syncedAt: now }, kind: 'closed' });
  }
  // Missing entries go in a thousand to a command (all of them, on the first build); one that a
  // change wrote meanwhile is newer than what this run read, and its insert is refused.
  for (let i = 0; i < missing.length; i += 1000) {
    const batch = missing.slice(i, i + 1000);
    counts.added += batch.length - (await insertAll(OpenNeedModel, batch)).size;
  }
  await mapLimit(mends, 8, async ({ was, set, kind }) => {
    const done = await OpenNeedModel.collection.updateOne({ _id: was._id, syncedAt: was.syncedAt }, { $set: set });
    if (done.modifiedCount) counts[kind] += 1;
  });
  await MigrationModel.updateOne({ _id: builtMarker }, { $set: { doneAt: now } }, { upsert: true });
  return counts;
}
