import mongoose, { Schema, type Model } from 'mongoose';

/**
 * Compare-and-set for single documents, built on a unique index.
 *
 * A guarded `findOneAndUpdate({_id, status: 'in_stock'}, …)` is atomic on MongoDB, but FerretDB
 * 1.x runs it as a query followed by an unconditional write by `_id`, so two requests that read
 * the same state can both "win" (the concurrent-allocation test caught two coordinators giving one
 * device to two pupils). A unique index is atomic on every backend, so each guarded change first
 * claims `collection:id:version` with an insert: of the requests that read version N only one can
 * insert that claim, and the winner writes version N+1. On MongoDB the claim is redundant but
 * harmless.
 *
 * A claim whose writer died before writing blocks its document; such a claim older than
 * `staleAfterMs` is taken over, since a live change never takes that long.
 */
const ClaimSchema = new Schema(
  { key: { type: String, required: true, unique: true }, at: { type: Date, required: true }, by: { type: String, default: null } },
  { versionKey: false },
);
export const ClaimModel = mongoose.model('Claim', ClaimSchema);

const staleAfterMs = 2 * 60 * 1000;

const isDuplicate = (err: unknown) => (err as { code?: number }).code === 11000;

/**
 * True when this caller now holds `key`; false when another caller holds it. A caller that names
 * itself (`owner`, e.g. a job id) gets its own earlier claim back: a job retried after its worker
 * died must be able to carry on with what it had claimed.
 */
export async function claim(key: string, now = new Date(), owner: string | null = null): Promise<boolean> {
  try {
    await ClaimModel.collection.insertOne({ key, at: now, by: owner } as never);
    return true;
  } catch (err) {
    if (!isDuplicate(err)) throw err;
  }
  const held = await ClaimModel.collection.findOne({ key });
  if (held && owner && held.by === owner) return true;
  if (!held || now.getTime() - (held.at as Date).getTime() < staleAfterMs) return false;
  // Taken over from a writer that died: only one of several callers deletes it and inserts anew.
  const removed = await ClaimModel.collection.deleteOne({ _id: held._id });
  if (!removed.deletedCount) return false;
  try {
    await ClaimModel.collection.insertOne({ key, at: now, by: owner } as never);
    return true;
  } catch (err) {
    if (isDuplicate(err)) return false;
    throw err;
  }
}

/** Field equality as a guard understands it: ids and null compared by value. */
function same(a: unknown, b: unknown): boolean {
  return String(a ?? null) === String(b ?? null);
}

/**
 * Applies `update` to the document with this id only if it is in one of `states` and matches
 * `guard` (field equality) at the moment of the change; returns the new document, or null when
 * it is not (or another change won the race). Every change made this way bumps `version`.
 */
export async function guardedUpdate<D extends { _id: unknown; status?: string; version?: number }>(
  model: Model<any>,
  id: unknown,
  states: readonly string[] | null,
  guard: Record<string, unknown>,
  update: Record<string, unknown>,
): Promise<D | null> {
  const doc = (await model.findById(id).lean()) as D | null;
  if (!doc) return null;
  if (states && !states.includes(doc.status ?? '')) return null;
  for (const [field, value] of Object.entries(guard)) if (!same((doc as Record<string, unknown>)[field], value)) return null;
  const version = doc.version ?? 0;
  if (!(await claim(`${model.collection.collectionName}:${String(doc._id)}:${version}`))) return null;
  const inc = { ...((update.$inc as Record<string, number> | undefined) ?? {}), version: 1 };
  return (await model.findByIdAndUpdate(doc._id, { ...update, $inc: inc }, { new: true }).lean()) as D | null;
}
