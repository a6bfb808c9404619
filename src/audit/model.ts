import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const AuditEventSchema = new Schema(
  {
    at: { type: Date, required: true, default: () => new Date(), index: true },
    actor: {
      kind: { type: String, required: true },
      id: { type: String, default: null },
      email: { type: String, default: null },
      role: { type: String, default: null },
    },
    action: { type: String, required: true, index: true },
    target: {
      type: { type: String, default: null },
      id: { type: String, default: null },
      label: { type: String, default: null },
    },
    institution: { type: String, default: null, index: true },
    // The pupil the event concerns, at the top level so that a search by pupil is answered from an index.
    pupil: { type: String, default: null, index: true },
    ip: { type: String, default: null },
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false },
);

// Append-only: the model refuses every update and delete, so no code path can rewrite history.
const refuse = () => {
  throw new Error('The audit log is append-only');
};
for (const op of ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'deleteOne', 'deleteMany', 'findOneAndDelete', 'findOneAndReplace'] as const) {
  AuditEventSchema.pre(op, refuse);
}

export type AuditEvent = InferSchemaType<typeof AuditEventSchema>;
export const AuditEventModel = mongoose.model('AuditEvent', AuditEventSchema);
