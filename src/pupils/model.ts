import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const PupilSchema = new Schema(
  {
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true, index: true },
    class: { type: String, default: '' },
    firstName: { type: String, required: true },
    lastName: { type: String, required: true },
    // The natural key across imports, without keeping the code in clear (see personalCodes.ts).
    personalCodeHash: { type: String, required: true, unique: true },
    personalCodeMasked: { type: String, required: true },
    personalCodeEnc: { type: String, required: true },
    birthDate: { type: String, default: null },
    // Name prefixes, class and visible code digits for the child search (see searchKeys.ts).
    searchKeys: { type: [String], default: undefined, index: true },
    guardian: {
      name: { type: String, default: null },
      phone: { type: String, default: null },
      email: { type: String, default: null },
      language: { type: String, enum: ['lv', 'ru', 'en'], default: 'lv' },
    },
    // Which import created or last changed the record, so a retried import counts it right.
    createdByImport: { type: String, default: null },
    changedByImport: { type: String, default: null },
  },
  { timestamps: true },
);

export type Pupil = InferSchemaType<typeof PupilSchema>;
export const PupilModel = mongoose.model('Pupil', PupilSchema);
