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
