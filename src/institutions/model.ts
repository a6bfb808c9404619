import mongoose, { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';

/** A period during which a kindergarten is a base kindergarten; `to` null means open-ended. */
const BasePeriodSchema = new Schema(
  { from: { type: String, default: null }, to: { type: String, default: null } },
  { _id: false },
);

const InstitutionSchema = new Schema(
  {
    code: { type: String, required: true, unique: true, trim: true },
    name: { type: String, required: true, trim: true },
    type: { type: String, required: true, enum: ['school', 'kindergarten'] },
    address: { type: String, default: '' },
    // Calendar days as YYYY-MM-DD strings (Europe/Riga), so no time zone can shift them.
    basePeriods: { type: [BasePeriodSchema], default: [] },
  },
  { timestamps: true },
);

const GroupSchema = new Schema(
  {
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true, index: true },
    name: { type: String, required: true, trim: true },
    capacity: { type: Number, required: true, min: 0 },
  },
  { timestamps: true },
);
GroupSchema.index({ institution: 1, name: 1 }, { unique: true });

export type Institution = InferSchemaType<typeof InstitutionSchema>;
export type InstitutionDoc = HydratedDocument<Institution>;
export type Group = InferSchemaType<typeof GroupSchema>;

export const InstitutionModel = mongoose.model('Institution', InstitutionSchema);
export const GroupModel = mongoose.model('Group', GroupSchema);
