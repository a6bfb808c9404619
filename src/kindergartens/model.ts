import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/** The daily return of one group of a base kindergarten. One record per group and day. */
const AttendanceSchema = new Schema(
  {
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true, index: true },
    group: { type: Schema.Types.ObjectId, ref: 'Group', required: true },
    day: { type: String, required: true },
    registered: { type: Number, required: true, min: 0 },
    present: { type: Number, required: true, min: 0 },
    createdByImport: { type: String, default: null },
    changedByImport: { type: String, default: null },
  },
  { timestamps: true },
);
AttendanceSchema.index({ group: 1, day: 1 }, { unique: true });

export type Attendance = InferSchemaType<typeof AttendanceSchema>;
export const AttendanceModel = mongoose.model('Attendance', AttendanceSchema);
