import mongoose, { Schema, type InferSchemaType } from 'mongoose';

export const deviceTypes = ['laptop', 'tablet'] as const;
export type DeviceType = (typeof deviceTypes)[number];
export const needStatuses = ['registered', 'approved', 'allocated', 'ready_for_pickup', 'out_for_delivery', 'delivered', 'returned', 'cancelled'] as const;
export type NeedStatus = (typeof needStatuses)[number];
export const deviceStatuses = ['in_stock', 'allocated', 'handed_over', 'returned', 'faulty'] as const;
export type DeviceStatus = (typeof deviceStatuses)[number];
export const deliveryMethods = ['pickup', 'home'] as const;

/** One step in a record's life: what it became, when, who did it (`user:ID`, `import:ID`), and why. */
const HistorySchema = new Schema(
  { status: { type: String, required: true }, at: { type: Date, required: true }, by: { type: String, default: null }, note: { type: String, default: null } },
  { _id: false },
);

/** Who collected a device (at school, or from the courier at home), and when it should come back. */
const HandoverSchema = new Schema(
  {
    collectedBy: { type: String, required: true },
    relation: { type: String, required: true },
    date: { type: String, required: true },
    returnBy: { type: String, default: null },
    recordedBy: { type: String, default: null },
  },
  { _id: false },
);

const DeviceNeedSchema = new Schema(
  {
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true, index: true },
    // One need record per pupil: re-uploading a list updates it instead of adding another.
    pupil: { type: Schema.Types.ObjectId, ref: 'Pupil', required: true, unique: true },
    // The pupil's first name, kept with the need so the parents' lookup is one query, not two
    // (written by the form and by every device-needs list that names the pupil).
    firstName: { type: String, default: null },
    deviceType: { type: String, enum: deviceTypes, required: true },
    reason: { type: String, default: null },
    // 1 is the most urgent; lists without a priority get one from the class (see priority.ts).
    priority: { type: Number, default: null },
    deliveryMethod: { type: String, enum: deliveryMethods, default: 'pickup' },
    address: { type: String, default: null },
    referenceCode: { type: String, required: true, unique: true },
    status: { type: String, enum: needStatuses, default: 'registered', index: true },
    // The device allocated to this need; set and cleared only together with the device's `need`.
    device: { type: Schema.Types.ObjectId, ref: 'Device', default: null },
    pickup: { from: { type: String, default: null }, hours: { type: String, default: null } },
    delivery: { run: { type: Schema.Types.ObjectId, default: null }, day: { type: String, default: null } },
    handover: { type: HandoverSchema, default: null },
    history: { type: [HistorySchema], default: [] },
    // Bumped by every guarded change (src/shared/claims.ts).
    version: { type: Number, default: 0 },
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
    note: { type: String, default: null },
  },
  { timestamps: true },
);

const DeviceSchema = new Schema(
  {
    serial: { type: String, required: true, unique: true },
    type: { type: String, enum: deviceTypes, required: true },
    make: { type: String, default: null },
    model: { type: String, default: null },
    condition: { type: String, default: 'new' },
    status: { type: String, enum: deviceStatuses, default: 'in_stock', index: true },
    // null: the education office's own stock.
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', default: null, index: true },
    shipment: { type: Schema.Types.ObjectId, ref: 'Shipment', default: null },
    // The need it is allocated or handed to; the guard of every allocation (see transitions.ts).
    need: { type: Schema.Types.ObjectId, ref: 'DeviceNeed', default: null },
    // When it last came into stock, so stock held too long can be flagged.
    stockedAt: { type: Date, default: () => new Date() },
    handover: { type: HandoverSchema, default: null },
    returnedAt: { type: String, default: null },
    history: { type: [HistorySchema], default: [] },
    // Bumped by every guarded change (src/shared/claims.ts).
    version: { type: Number, default: 0 },
    createdByImport: { type: String, default: null },
    changedByImport: { type: String, default: null },
  },
  { timestamps: true },
);

export type DeviceNeed = InferSchemaType<typeof DeviceNeedSchema>;
export type Device = InferSchemaType<typeof DeviceSchema>;
export const DeviceNeedModel = mongoose.model('DeviceNeed', DeviceNeedSchema);
export const ShipmentModel = mongoose.model('Shipment', ShipmentSchema);
export const DeviceModel = mongoose.model('Device', DeviceSchema);
