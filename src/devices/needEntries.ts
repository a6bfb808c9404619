import { mapLimit } from '../shared/concurrency.ts';
import { DeviceNeedModel } from './model.ts';
import { openNeedFields, rebuildOpenNeeds, syncOpenNeed, type NeedForEntry } from './openNeeds.ts';
import { needStatusFields, rebuildNeedStatuses, syncNeedStatus, type NeedForStatus } from './needStatuses.ts';

/**
 * The small entries kept beside each device need for fast reads: the allocation proposal's
 * (openNeeds.ts) and the parents' status lookup's (needStatuses.ts). Every write of a need calls
 * `syncNeedEntries` with the need as written; `rebuildNeedEntries` (the worker's `need-entries`
 * schedule, and each worker start) mends what a stopped process left behind.
 */
export type NeedWithEntries = NeedForEntry & NeedForStatus;

const entryFields = { ...openNeedFields, ...needStatusFields } as const;

/** Writes both entries of a need just written (its state as that write left it). */
export async function syncNeedEntries(need: NeedWithEntries, now = new Date()): Promise<void> {
  await Promise.all([syncOpenNeed(need, now), syncNeedStatus(need, now)]);
}

/** Reads these needs again and writes their entries: for writes that do not return the need. */
export async function syncNeedEntriesById(ids: unknown[]): Promise<void> {
  // One by one, a few at a time: the embedded database reads a whole collection for `$in`.
  await mapLimit(ids, 8, async (id) => {
    const need = await DeviceNeedModel.findById(id, entryFields).lean<NeedWithEntries>();
    if (need) await syncNeedEntries(need);
  });
}

/** Compares both kinds of entries with the needs and mends them (see each module). */
export async function rebuildNeedEntries(now = new Date()) {
  const open = await rebuildOpenNeeds(now);
  const status = await rebuildNeedStatuses(now);
  return { open, status };
}
