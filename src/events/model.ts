import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * Domain events waiting for the notifications to turn them into messages (an outbox): a need
 * registered, a device ready for pickup, out for delivery, handed over, and so on. Ids only, no
 * personal codes; whoever consumes an event clears `pending` and sets `handledAt`.
 */
const DomainEventSchema = new Schema(
  {
    // Deterministic where the same event could be recorded twice (an import retried after a crash):
    // the unique index then drops the second one.
    key: { type: String, required: true, unique: true },
    type: { type: String, required: true, index: true },
    at: { type: Date, required: true, default: () => new Date() },
    institution: { type: Schema.Types.ObjectId, default: null },
    pupil: { type: Schema.Types.ObjectId, default: null },
    subject: { kind: { type: String, required: true }, id: { type: Schema.Types.ObjectId, required: true } },
    data: { type: Schema.Types.Mixed, default: {} },
    // Waiting for the dispatcher. A flag, not a lookup of `handledAt: null`: the embedded FerretDB
    // reads the whole collection for a null equality, so each dispatch page read every event ever
    // recorded; a boolean equality is looked up by index there, as on MongoDB.
    pending: { type: Boolean, default: true, index: true },
    handledAt: { type: Date, default: null },
    // Events recorded together (an import batch's registrations) share a block, so the dispatcher
    // marks a page of them handled with one update that the block's index finds, instead of one
    // committed update per event, most of a page's time on the embedded database.
    block: { type: Schema.Types.ObjectId, default: null, index: true },
  },
  { versionKey: false },
);

export type DomainEvent = InferSchemaType<typeof DomainEventSchema>;
export const DomainEventModel = mongoose.model('DomainEvent', DomainEventSchema);
