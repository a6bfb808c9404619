import mongoose, { Schema } from 'mongoose';

/**
 * One record per one-off data change that has run (`_id` names it), so each runs once however
 * many processes start. A model, so that its collection exists from start-up like every other.
 */
const MigrationSchema = new Schema({ _id: { type: String, required: true }, doneAt: { type: Date, required: true } }, { versionKey: false });

export const MigrationModel = mongoose.model('Migration', MigrationSchema);
