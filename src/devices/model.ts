import mongoose, { Schema, type InferSchemaType } from 'mongoose';

export const needStatuses = ['registered', 'approved', 'allocated', 'ready_for_pickup', 'out_for_delivery', 'delivered', 'returned', 'cancelled'] as const;

const HistorySchema = new Schema(
  { status: { type: String, required: true }, at: { type: Date, required: true }, by: { type: String, default: null }, note: { type: String, default: null } },
  { _id: false },
);

const DeviceNeedSchema = new Schema(
  {
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true, index: true },
    // One need record per pupil: re-uploading a list updates it instead of adding another.
    pupil: { type: Schema.Types.ObjectId, ref: 'Pupil', required: true, unique: true },
    deviceType: { type: String, enum: ['laptop', 'tablet'], required: true },
    reason: { type: String, default: null },
    priority: { type: Number, default: null },
    deliveryMethod: { type: String, enum: ['pickup', 'home'], default: 'pickup' },
    address: { type: String, default: null },
    referenceCode: { type: String, required: true, unique: true },
    status: { type: String, enum: needStatuses, default: 'registered' },
    history: { type: [HistorySchema], default: [] },
    createdByImport: { type: String, default: null },
    changedByImport: { type: String, default: null },
  },
  { timestamps: true },
);

const ShipmentSchema = new Schema(
  {
    reference: { type: String, required: true },
    receivedAt: { type: String, required: true },
    importId: { type: String, default: null, index: true },
  },
  { timestamps: true },
);

const DeviceSchema = new Schema(
  {
    serial: { type: String, required: true, unique: true },
    type: { type: String, enum: ['laptop', 'tablet'], required: true },
    make: { type: String, default: null },
    model: { type: String, default: null },
    condition: { type: String, default: 'new' },
    status: { type: String, enum: ['in_stock', 'allocated', 'handed_over', 'returned', 'faulty'], default: 'in_stock' },
    // null: the education office's own stock.
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', default: null, index: true },
    shipment: { type: Schema.Types.ObjectId, ref: 'Shipment', default: null },
    createdByImport: { type: String, default: null },
    changedByImport: { type: String, default: null },
  },
  { timestamps: true },
);

export type DeviceNeed = InferSchemaType<typeof DeviceNeedSchema>;
export const DeviceNeedModel = mongoose.model('DeviceNeed', DeviceNeedSchema);
export const ShipmentModel = mongoose.model('Shipment', ShipmentSchema);
export const DeviceModel = mongoose.model('Device', DeviceSchema);
