import type { Model } from 'mongoose';

// Any model; the helpers only insert and set fields (imports and the food-card computation use them).
type AnyModel = Model<any>;

/**
 * Inserts new records in one command and returns the positions that hit a unique key, i.e. records
 * someone else made first (another import at the same moment, or one the caller could not see).
 * Every other document is written whatever happens to those: the insert is unordered.
 *
 * The documents are built from rows the kind's schema has already validated, so they go in as
 * plain objects with the model's defaults and timestamps applied: making a mongoose document of
 * each cost more than the whole rest of an import.
 */
export async function insertAll(model: AnyModel, docs: Array<Record<string, unknown>>): Promise<Set<number>> {
  if (!docs.length) return new Set();
  for (const doc of docs) {
    model.applyDefaults(doc);
    model.applyTimestamps(doc);
  }
  try {
    await model.insertMany(docs, { ordered: false, lean: true });
    return new Set();
  } catch (err) {
    const writeErrors = (err as { writeErrors?: Array<{ index: number; code?: number; err?: { code?: number } }> }).writeErrors;
    if (!writeErrors?.length || writeErrors.some((w) => (w.code ?? w.err?.code) !== 11000)) throw err;
    return new Set(writeErrors.map((w) => w.index));
  }
}

// FerretDB 1.x holds a database connection for every statement of one command until the command
// ends, and each statement takes one more to write; when commands in flight hold all of its pool
// (50) between them, none can finish and the database stops answering for good. 10 per command
// (with the driver's pool bounded in db.ts) leaves room for the commands beside it.
const updatesPerCommand = 10;

/** Sets fields on records found by `_id`, a few per command. */
export async function updateAll(model: AnyModel, updates: Array<{ _id: unknown; set: Record<string, unknown> }>): Promise<void> {
  for (let i = 0; i < updates.length; i += updatesPerCommand) {
    const chunk = updates.slice(i, i + updatesPerCommand);
    await model.bulkWrite(
      chunk.map((u) => ({ updateOne: { filter: { _id: u._id }, update: { $set: u.set } } })),
      { ordered: false },
    );
  }
}
