import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * A card batch of a period: what was ordered from the supplier in one go. A batch is made from the
 * stored amounts (Entitlement, `cents > 0`) compared with what earlier batches of the same period
 * issued; when it would change more than the guard's share it waits (`awaiting_confirmation`) with
 * the list of changes, and only a confirmed batch has cards. A newer batch made while one waits
 * replaces it (`superseded`). `seq` numbers the batches of a period; the unique index makes two
 * batches made at once collide instead of both being written.
 */
const BatchChangeSchema = new Schema(
  {
    pupil: { type: Schema.Types.ObjectId, required: true },
    institution: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: ['added', 'removed', 'changed'], required: true },
    previousCents: { type: Number, required: true },
    cents: { type: Number, required: true },
  },
  { _id: false },
);

const FoodCardBatchSchema = new Schema(
  {
    period: { type: Schema.Types.ObjectId, ref: 'FoodPeriod', required: true },
    seq: { type: Number, required: true },
    status: { type: String, enum: ['awaiting_confirmation', 'confirmed', 'superseded'], required: true },
    // sha-256 of the planned lines: the same plan twice is the same batch.
    fingerprint: { type: String, required: true },
    cards: { type: Number, required: true },
    topUps: { type: Number, required: true },
    cents: { type: Number, required: true },
    changes: { type: [BatchChangeSchema], default: [] },
    changedPupils: { type: Number, required: true },
    comparedPupils: { type: Number, required: true },
    guardPercent: { type: Number, required: true },
    createdBy: { type: String, default: null },
    confirmedBy: { type: String, default: null },
    confirmedAt: { type: Date, default: null },
    // Set once the batch's cards are all written; until then no other batch of the period is made.
    written: { type: Boolean, default: false },
    version: { type: Number, default: 0 },
  },
  { timestamps: true },
);
FoodCardBatchSchema.index({ period: 1, seq: 1 }, { unique: true });
export type FoodCardBatch = InferSchemaType<typeof FoodCardBatchSchema>;
export const FoodCardBatchModel = mongoose.model('FoodCardBatch', FoodCardBatchSchema);

/**
 * One line of a confirmed batch: a new card (`kind: 'card'`, with its parents' reference code)
 * or a top-up loaded onto a card the pupil already has (`kind: 'topup'`, `card` names it). The
 * cents are what was issued and never change afterwards; a later status change shows as a
 * difference against the stored amount. Status moves issued → loaded → collected (a top-up stops
 * at loaded) through guarded updates only.
 */
const FoodCardSchema = new Schema(
  {
    batch: { type: Schema.Types.ObjectId, ref: 'FoodCardBatch', required: true, index: true },
    period: { type: Schema.Types.ObjectId, ref: 'FoodPeriod', required: true },
    pupil: { type: Schema.Types.ObjectId, ref: 'Pupil', required: true },
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true, index: true },
    kind: { type: String, enum: ['card', 'topup'], required: true },
    card: { type: Schema.Types.ObjectId, default: null },
    cents: { type: Number, required: true },
    status: { type: String, enum: ['issued', 'loaded', 'collected'], required: true },
    number: { type: String, default: null },
    referenceCode: { type: String, default: null, index: true },
    firstName: { type: String, default: '' },
    loaded: {
      at: { type: Date, default: null },
      by: { type: String, default: null },
      readyFrom: { type: String, default: null },
    },
    handover: {
      collectedBy: { type: String, default: null },
      relation: { type: String, default: null },
      date: { type: String, default: null },
      recordedBy: { type: String, default: null },
    },
    history: {
      type: [{ status: { type: String, required: true }, at: { type: Date, required: true }, by: { type: String, default: null }, _id: false }],
      default: [],
    },
    version: { type: Number, default: 0 },
  },
  { timestamps: true },
);
FoodCardSchema.index({ period: 1, pupil: 1, batch: 1 }, { unique: true });
FoodCardSchema.index({ period: 1, institution: 1 });
export type FoodCard = InferSchemaType<typeof FoodCardSchema>;
export type FoodCardStatus = FoodCard['status'];
export const FoodCardModel = mongoose.model('FoodCard', FoodCardSchema);

/**
 * The card numbers in use, one document each under a unique index: assigning a number inserts it
 * here first, so a number can never reach two cards, even when two people type it at once.
 */
const FoodCardNumberSchema = new Schema({ number: { type: String, required: true, unique: true }, card: { type: Schema.Types.ObjectId, required: true } }, { timestamps: true });
export const FoodCardNumberModel = mongoose.model('FoodCardNumber', FoodCardNumberSchema);
