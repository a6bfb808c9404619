import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

/**
 * The daily return of one group of a base kindergarten: one record per group and day. `capacity`
 * is the group's capacity when the return was made, so the history keeps the occupancy of its day
 * even after a capacity changes.
 */
const AttendanceChangeSchema = new Schema(
  {
    at: { type: Date, required: true },
    by: { type: String, required: true },
    registered: { type: Number, required: true },
    present: { type: Number, required: true },
    late: { type: Boolean, default: false },
    source: { type: String, enum: ['form', 'import'], default: 'form' },
  },
  { _id: false },
);

const AttendanceSchema = new Schema(
  {
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true, index: true },
    group: { type: Schema.Types.ObjectId, ref: 'Group', required: true },
    day: { type: String, required: true, index: true },
    registered: { type: Number, required: true, min: 0 },
    present: { type: Number, required: true, min: 0 },
    capacity: { type: Number, default: null },
    // The placement requests ticked as present, when the head counted by ticking children.
    presentChildren: { type: [Schema.Types.ObjectId], default: undefined },
    submittedAt: { type: Date, default: null },
    submittedBy: { type: String, default: null },
    // Set when the first return for the day came after the deadline.
    late: { type: Boolean, default: false },
    history: { type: [AttendanceChangeSchema], default: [] },
    createdByImport: { type: String, default: null },
    changedByImport: { type: String, default: null },
  },
  { timestamps: true },
);
AttendanceSchema.index({ group: 1, day: 1 }, { unique: true });
AttendanceSchema.index({ institution: 1, day: 1 });

export type Attendance = InferSchemaType<typeof AttendanceSchema>;
export const AttendanceModel = mongoose.model('Attendance', AttendanceSchema);

/**
 * Per-day figures of all returns, kept for the occupancy chart. Writers of a day's returns put a
 * fresh random stamp on `AttendanceDayStamp` after writing; a summary is valid only while it was
 * computed under the stamp that is current. Stamps and summaries live in separate collections
 * because FerretDB rewrites a whole document on every update: a summary written into the stamp's
 * document could overwrite a newer stamp.
 */
const AttendanceDayStampSchema = new Schema({ day: { type: String, required: true, unique: true }, stamp: { type: String, required: true } }, { versionKey: false });
export const AttendanceDayStampModel = mongoose.model('AttendanceDayStamp', AttendanceDayStampSchema);

const AttendanceDaySummarySchema = new Schema(
  {
    day: { type: String, required: true, unique: true },
    stamp: { type: String, required: true },
    returns: { type: Number, required: true },
    registered: { type: Number, required: true },
    present: { type: Number, required: true },
    capacity: { type: Number, required: true },
    overCapacity: { type: Number, required: true },
  },
  { versionKey: false },
);
export type AttendanceDaySummary = InferSchemaType<typeof AttendanceDaySummarySchema>;
export const AttendanceDaySummaryModel = mongoose.model('AttendanceDaySummary', AttendanceDaySummarySchema);

export const sectors = ['health', 'police', 'retail', 'utilities', 'social_care', 'transport', 'other'] as const;
export type Sector = (typeof sectors)[number];
export const requestStatuses = ['received', 'waiting', 'placed', 'withdrawn', 'ended'] as const;
export type RequestStatus = (typeof requestStatuses)[number];
export const activeRequestStatuses: readonly RequestStatus[] = ['received', 'waiting', 'placed'];

const RequestStepSchema = new Schema(
  { status: { type: String, required: true }, at: { type: Date, required: true }, by: { type: String, required: true }, note: { type: String, default: null } },
  { _id: false },
);

/**
 * A request for a place in a base kindergarten. The child is kept like a pupil: the personal code
 * only as a keyed hash (to find the same child again), masked and encrypted. `activeKey` is the
 * hash while the request is active and the hash with the request's id once it is closed, so a
 * unique index allows one active request per child on every backend (no partial indexes needed).
 */
const PlacementRequestSchema = new Schema(
  {
    child: {
      firstName: { type: String, required: true },
      lastName: { type: String, required: true },
      personalCodeHash: { type: String, required: true, index: true },
      personalCodeMasked: { type: String, required: true },
      personalCodeEnc: { type: String, required: true },
      birthDate: { type: String, default: null },
    },
    // The child's name prefixes for the child search (see pupils/searchKeys.ts).
    searchKeys: { type: [String], default: undefined, index: true },
    parent: {
      name: { type: String, default: null },
      phone: { type: String, default: null },
      email: { type: String, default: null },
      language: { type: String, enum: ['lv', 'ru', 'en'], default: 'lv' },
    },
    employer: { type: String, required: true },
    sector: { type: String, required: true, enum: sectors },
    neededFrom: { type: String, required: true },
    preferredArea: { type: String, default: null },
    note: { type: String, default: null },
    receivedAt: { type: Date, required: true },
    status: { type: String, required: true, enum: requestStatuses, default: 'received' },
    activeKey: { type: String, required: true, unique: true },
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', default: null, index: true },
    group: { type: Schema.Types.ObjectId, ref: 'Group', default: null, index: true },
    placedFrom: { type: String, default: null },
    referenceCode: { type: String, required: true, unique: true },
    history: { type: [RequestStepSchema], default: [] },
    version: { type: Number, default: 0 },
    createdByImport: { type: String, default: null },
    changedByImport: { type: String, default: null },
  },
  { timestamps: true },
);
PlacementRequestSchema.index({ status: 1, receivedAt: 1, _id: 1 });

type StoredRequest = InferSchemaType<typeof PlacementRequestSchema>;
export type PlacementRequest = Omit<StoredRequest, 'child' | 'parent'> & {
  _id: Types.ObjectId;
  child: NonNullable<StoredRequest['child']>;
  parent?: StoredRequest['parent'];
};
export const PlacementRequestModel = mongoose.model('PlacementRequest', PlacementRequestSchema);

/**
 * The children placed in a group: the one document every placement changes, always through a
 * guarded update (src/shared/claims.ts), so a place is never given twice and a group never holds
 * more children than its capacity, whoever places at the same moment. It is kept apart from the
 * group itself, whose capacity is edited elsewhere and would otherwise race with placements.
 */
const GroupSeatsSchema = new Schema(
  {
    group: { type: Schema.Types.ObjectId, ref: 'Group', required: true, unique: true },
    placed: { type: [Schema.Types.ObjectId], default: [] },
    version: { type: Number, default: 0 },
  },
  { versionKey: false },
);
export type GroupSeats = { _id: Types.ObjectId; group: Types.ObjectId; placed: Types.ObjectId[]; version: number };
export const GroupSeatsModel = mongoose.model('GroupSeats', GroupSeatsSchema);

/** The office's settings for the daily returns (one document). */
const KindergartenSettingsSchema = new Schema(
  { key: { type: String, required: true, unique: true, default: 'kindergartens' }, deadline: { type: String, default: '10:00' }, updatedBy: { type: String, default: null } },
  { timestamps: true },
);
export const KindergartenSettingsModel = mongoose.model('KindergartenSettings', KindergartenSettingsSchema);
