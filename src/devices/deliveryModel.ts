import mongoose, { Schema, type InferSchemaType } from 'mongoose';

export const stopStatuses = ['pending', 'delivered', 'failed'] as const;

/** A day's home deliveries for one courier. */
const DeliveryRunSchema = new Schema(
  {
    day: { type: String, required: true, index: true },
    courier: { type: String, default: null },
    createdBy: { type: String, default: null },
  },
  { timestamps: true },
);

/**
 * One address on a run, a document of its own so that marking it is a guarded single-document
 * update (FerretDB has no positional array updates). The address is copied, so the route sheet
 * stays as it was printed.
 */
const DeliveryStopSchema = new Schema(
  {
    run: { type: Schema.Types.ObjectId, ref: 'DeliveryRun', required: true, index: true },
    need: { type: Schema.Types.ObjectId, ref: 'DeviceNeed', required: true, index: true },
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true },
    order: { type: Number, required: true },
    area: { type: String, required: true },
    address: { type: String, required: true },
    status: { type: String, enum: stopStatuses, default: 'pending' },
    reason: { type: String, default: null },
    receivedBy: { type: String, default: null },
    relation: { type: String, default: null },
    at: { type: Date, default: null },
  },
  { timestamps: true },
);

export type DeliveryRun = InferSchemaType<typeof DeliveryRunSchema>;
export type DeliveryStop = InferSchemaType<typeof DeliveryStopSchema>;
export const DeliveryRunModel = mongoose.model('DeliveryRun', DeliveryRunSchema);
export const DeliveryStopModel = mongoose.model('DeliveryStop', DeliveryStopSchema);
