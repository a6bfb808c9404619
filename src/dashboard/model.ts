import mongoose, { Schema } from 'mongoose';

/**
 * The dashboard's figures as last counted: one document, replaced whole by each count. Keeping
 * the count lets a morning visit read one record instead of every need, device and card.
 */
const DashboardFiguresSchema = new Schema(
  {
    _id: { type: String, required: true },
    computedAt: { type: Date, required: true },
    // As JSON text: decoding 600 lines of nested numbers as a document cost the embedded database
    // about 90 ms a read, parsing the same text about 9 ms (scripts/bench/dashboard).
    figures: { type: String, required: true },
  },
  { versionKey: false },
);

export const DashboardFiguresModel = mongoose.model('DashboardFigures', DashboardFiguresSchema);
