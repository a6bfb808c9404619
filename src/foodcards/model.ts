import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/** A pupil's family status from the Social Service, with its validity (calendar days, inclusive). */
const FamilyStatusSchema = new Schema(
  {
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true, index: true },
    pupil: { type: Schema.Types.ObjectId, ref: 'Pupil', required: true, unique: true },
    status: { type: String, enum: ['poor', 'low_income'], required: true },
    validFrom: { type: String, required: true },
    validTo: { type: String, required: true },
    createdByImport: { type: String, default: null },
    changedByImport: { type: String, default: null },
  },
  { timestamps: true },
);

export type FamilyStatus = InferSchemaType<typeof FamilyStatusSchema>;
export const FamilyStatusModel = mongoose.model('FamilyStatus', FamilyStatusSchema);

const RateBandSchema = new Schema({ classFrom: { type: Number, required: true }, classTo: { type: Number, required: true }, cents: { type: Number, required: true } }, { _id: false });

/**
 * An entitlement period set by the municipality: its days, the daily rate (in cents, per class
 * range where bands are given) and the school calendar. Until the calendar is set (`calendar.setAt`)
 * no amounts are computed for it.
 */
const FoodPeriodSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    from: { type: String, required: true },
    to: { type: String, required: true },
    defaultRateCents: { type: Number, required: true, min: 0 },
    rates: { type: [RateBandSchema], default: [] },
    calendar: {
      holidays: { type: [String], default: [] },
      daysOff: { type: [String], default: [] },
      extraSchoolDays: { type: [String], default: [] },
      setAt: { type: Date, default: null },
      setBy: { type: String, default: null },
    },
    createdBy: { type: String, default: null },
  },
  { timestamps: true },
);
// The periods page lists them latest first.
FoodPeriodSchema.index({ from: -1 });
export type FoodPeriod = InferSchemaType<typeof FoodPeriodSchema>;
export const FoodPeriodModel = mongoose.model('FoodPeriod', FoodPeriodSchema);

/**
 * A pupil's computed amount for a period: the status and validity it was computed from, the rate,
 * the school days counted and the cents. Computing again changes these fields only; what was
 * issued on a card is kept apart (by the card batches), so a later status change shows as a
 * difference and never silently changes an issued amount.
 */
const EntitlementSchema = new Schema(
  {
    period: { type: Schema.Types.ObjectId, ref: 'FoodPeriod', required: true },
    pupil: { type: Schema.Types.ObjectId, ref: 'Pupil', required: true },
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true, index: true },
    status: { type: String, enum: ['poor', 'low_income'], required: true },
    validFrom: { type: String, required: true },
    validTo: { type: String, required: true },
    class: { type: String, default: '' },
    rateCents: { type: Number, required: true },
    days: { type: Number, required: true },
    cents: { type: Number, required: true },
    computedAt: { type: Date, required: true },
  },
  { timestamps: true },
);
EntitlementSchema.index({ period: 1, pupil: 1 }, { unique: true });
EntitlementSchema.index({ period: 1, institution: 1 });
export type Entitlement = InferSchemaType<typeof EntitlementSchema>;
export const EntitlementModel = mongoose.model('Entitlement', EntitlementSchema);
