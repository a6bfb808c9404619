import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { importKinds } from '../../imports/kinds/index.ts';

const ImportSchema = new Schema(
  {
    kind: { type: String, enum: importKinds, required: true },
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', default: null, index: true },
    institutionCode: { type: String, default: null },
    uploadedBy: { type: String, required: true },
    fileId: { type: Schema.Types.ObjectId, required: true },
    fileName: { type: String, required: true },
    format: { type: String, enum: ['xlsx', 'csv'], required: true },
    size: { type: Number, required: true },
    dryRun: { type: Boolean, default: false },
    // The preview this import applies, when it was started with the Apply button.
    previewOf: { type: String, default: null },
    status: { type: String, enum: ['queued', 'running', 'succeeded', 'failed'], default: 'queued', index: true },
    attempts: { type: Number, default: 0 },
    // checked: rows read and validated so far by the first pass, before the total is known.
    progress: { processed: { type: Number, default: 0 }, total: { type: Number, default: null }, checked: { type: Number, default: 0 } },
    summary: {
      rows: { type: Number, default: 0 },
      created: { type: Number, default: 0 },
      updated: { type: Number, default: 0 },
      unchanged: { type: Number, default: 0 },
      rejected: { type: Number, default: 0 },
      warnings: { type: Number, default: 0 },
    },
    // The last Excel row whose effects are recorded, so a retried import resumes after it.
    checkpointRow: { type: Number, default: 0 },
    // Outcomes of the rows up to checkpointRow, saved together with it.
    applied: {
      created: { type: Number, default: 0 },
      updated: { type: Number, default: 0 },
      unchanged: { type: Number, default: 0 },
      rejected: { type: Number, default: 0 },
      warnings: { type: Number, default: 0 },
      processed: { type: Number, default: 0 },
    },
    // unused: the header's columns nothing was read from, as written (the page names them).
    header: { sheet: String, row: Number, columns: { type: Schema.Types.Mixed, default: {} }, unused: { type: [String], default: undefined } },
    failure: { type: new Schema({ code: String, params: Schema.Types.Mixed }, { _id: false }), default: null },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

/** Every error and warning of an import, by Excel row; kept apart so a large file cannot overflow a document. */
const ImportIssueSchema = new Schema({
  importId: { type: String, required: true, index: true },
  severity: { type: String, enum: ['error', 'warning'], required: true },
  // parse: found reading the file (redone on every attempt); apply: found writing it (kept up to the checkpoint).
  phase: { type: String, enum: ['parse', 'apply'], required: true },
  row: { type: Number, required: true },
  column: { type: String, default: null },
  field: { type: String, default: null },
  code: { type: String, required: true },
});
ImportIssueSchema.index({ importId: 1, row: 1 });

export type ImportDoc = InferSchemaType<typeof ImportSchema> & { _id: mongoose.Types.ObjectId };
export const ImportModel = mongoose.model('Import', ImportSchema);
export const ImportIssueModel = mongoose.model('ImportIssue', ImportIssueSchema);
