import type { Model } from 'mongoose';
import { PlacementRequestModel } from '../kindergartens/model.ts';
import { updateAll } from '../shared/bulkWrites.ts';
import { PupilModel } from './model.ts';
import { pupilSearchKeys, searchKeysVersion } from './searchKeys.ts';
import { MigrationModel } from '../shared/migrationModel.ts';

// The marker names the way keys are made: a new way of making them gets a new marker, and every
// record is looked at once more.
const marker = `pupil-search-keys-${searchKeysVersion}`;
const batch = 1000;

type Names = { firstName: string; lastName: string; class?: string | null; personalCodeMasked?: string | null };

/**
 * Writes the keys of every record whose keys are missing or made an older way, in one pass: the
 * database picks them out (one read of the collection), so nothing else crosses the wire.
 */
async function remake<T extends { _id: unknown }>(model: Model<any>, fields: Record<string, 1>, namesOf: (doc: T) => Names): Promise<number> {
  let changed = 0;
  let pending: Array<{ _id: unknown; set: Record<string, unknown> }> = [];
  for await (const doc of model.find({ searchKeys: { $ne: searchKeysVersion } }, fields).lean<T[]>().cursor({ batchSize: batch })) {
    pending.push({ _id: doc._id, set: { searchKeys: pupilSearchKeys(namesOf(doc)) } });
    if (pending.length >= batch) {
      await updateAll(model, pending);
      changed += pending.length;
      pending = [];
    }
  }
  await updateAll(model, pending);
  return changed + pending.length;
}

/**
 * Gives pupils and place requests stored before the child search, or before its keys were last
 * changed, their current keys, once: a marker records that it ran, so later starts read nothing.
 * Safe to run from several processes at once (each writes the same keys).
 */
export async function backfillSearchKeys(): Promise<number> {
  if (await MigrationModel.exists({ _id: marker })) return 0;
  type PupilDoc = Names & { _id: unknown };
  type RequestDoc = { _id: unknown; child?: { firstName?: string; lastName?: string; personalCodeMasked?: string } | null };
  const pupils = await remake<PupilDoc>(PupilModel, { firstName: 1, lastName: 1, class: 1, personalCodeMasked: 1 }, (p) => p);
  const requests = await remake<RequestDoc>(PlacementRequestModel, { child: 1 }, (r) => ({
    firstName: r.child?.firstName ?? '',
    lastName: r.child?.lastName ?? '',
    personalCodeMasked: r.child?.personalCodeMasked,
  }));
  await MigrationModel.updateOne({ _id: marker }, { $set: { doneAt: new Date() } }, { upsert: true });
  return pupils + requests;
}
