import { PlacementRequestModel } from '../kindergartens/model.ts';
import { updateAll } from '../shared/bulkWrites.ts';
import { PupilModel } from './model.ts';
import { pupilSearchKeys } from './searchKeys.ts';
import { MigrationModel } from '../shared/migrationModel.ts';

const marker = 'pupil-search-keys-1';
const batch = 1000;

/**
 * Gives pupils and place requests stored before the child search their search keys, once: a
 * marker records that it ran, so later starts read nothing. Safe to run from several processes
 * at once (each writes the same keys).
 */
export async function backfillSearchKeys(): Promise<number> {
  if (await MigrationModel.exists({ _id: marker })) return 0;
  let changed = 0;
  for (;;) {
    const pupils = await PupilModel.find({ searchKeys: { $exists: false } }, { firstName: 1, lastName: 1, class: 1, personalCodeMasked: 1 }).limit(batch).lean();
    if (!pupils.length) break;
    await updateAll(PupilModel, pupils.map((p) => ({ _id: p._id, set: { searchKeys: pupilSearchKeys(p) } })));
    changed += pupils.length;
  }
  for (;;) {
    const requests = await PlacementRequestModel.find({ searchKeys: { $exists: false } }, { child: 1 }).limit(batch).lean();
    if (!requests.length) break;
    await updateAll(PlacementRequestModel, requests.map((r) => ({ _id: r._id, set: { searchKeys: pupilSearchKeys({ firstName: r.child?.firstName ?? '', lastName: r.child?.lastName ?? '', personalCodeMasked: r.child?.personalCodeMasked }) } })));
    changed += requests.length;
  }
  await MigrationModel.updateOne({ _id: marker }, { $set: { doneAt: new Date() } }, { upsert: true });
  return changed;
}
