import mongoose, { Schema } from 'mongoose';

/**
 * The dashboard's figures as last counted: one document, replaced whole by each count. Keeping
 * the count lets a morning visit read one record instead of every need, device and card.
 */
const DashboardFiguresSchema = new Schema(
  {
    _id: { type: String, required: true },
    computedAt: { type: Date, required: true },
    figures: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, minimize: false },
);

export const DashboardFiguresModel = mongoose.model('DashboardFigures', DashboardFiguresSchema);
