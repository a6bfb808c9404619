import mongoose, { Schema, type InferSchemaType } from 'mongoose';

export const channels = ['email', 'sms', 'outbox'] as const;
export type ChannelName = (typeof channels)[number];
export const messageStatuses = ['queued', 'held', 'retrying', 'sending', 'sent', 'delivered', 'failed', 'unknown', 'suppressed'] as const;
export type MessageStatus = (typeof messageStatuses)[number];
/** A message in one of these may be claimed for sending. */
export const sendableStatuses: readonly MessageStatus[] = ['queued', 'held', 'retrying'];
export const recipientKinds = ['guardian', 'staff'] as const;

/**
 * One message to one recipient on one channel. Its `key` is deterministic (event + recipient +
 * channel), so whoever builds it again (a retried dispatcher, a reminder run twice) finds the same
 * record; `_id` is a hash of the key, short enough for a job id. The body is rendered when the
 * message is made, so the log and the outbox show exactly what was (or will be) sent.
 */
const MessageSchema = new Schema(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true, unique: true },
    event: { type: String, required: true },
    template: { type: String, required: true },
    essential: { type: Boolean, required: true },
    language: { type: String, enum: ['lv', 'ru', 'en'], required: true },
    channel: { type: String, enum: channels, required: true },
    recipient: {
      kind: { type: String, enum: recipientKinds, required: true },
      // An e-mail address or a +371… number; `name` is only for the log.
      address: { type: String, required: true },
      name: { type: String, default: null },
      user: { type: Schema.Types.ObjectId, default: null },
    },
    institution: { type: Schema.Types.ObjectId, default: null },
    pupil: { type: Schema.Types.ObjectId, default: null },
    subject: { type: String, default: '' },
    body: { type: String, required: true },
    status: { type: String, enum: messageStatuses, required: true, default: 'queued', index: true },
    attempts: { type: Number, default: 0 },
    // The job try that marked it `sending`: the same job retried after a crash knows it was cut off.
    claimedBy: { type: String, default: null },
    // Held SMS wait for the morning; retries wait for their backoff.
    notBefore: { type: Date, default: null },
    failure: { code: { type: String, default: null }, message: { type: String, default: null } },
    providerId: { type: String, default: null, index: true },
    sentAt: { type: Date, default: null },
    deliveredAt: { type: Date, default: null },
    resends: { type: Number, default: 0 },
    version: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false },
);
// Few indexes on purpose: every send rewrites a message twice (sending, then its outcome), and on
// the embedded database each index is one more write each time. The log filters by status and
// sorts by time; receipts find a message by the provider's id.
MessageSchema.index({ createdAt: -1, _id: -1 });

type StoredMessage = InferSchemaType<typeof MessageSchema>;
export type Message = Omit<StoredMessage, '_id' | 'recipient'> & { _id: string; recipient: NonNullable<StoredMessage['recipient']> };
export const MessageModel = mongoose.model('Message', MessageSchema);

/**
 * "Fix the contact for pupil X": made when a message to a guardian bounces or the number is
 * invalid. `openKey` is pupil + channel while open and gains the task's id once done, so a unique
 * index keeps one open task per contact on every backend.
 */
const ContactTaskSchema = new Schema(
  {
    institution: { type: Schema.Types.ObjectId, required: true, index: true },
    pupil: { type: Schema.Types.ObjectId, required: true },
    channel: { type: String, enum: channels, required: true },
    address: { type: String, required: true },
    message: { type: String, required: true },
    reason: { code: { type: String, required: true }, message: { type: String, default: null } },
    status: { type: String, enum: ['open', 'done'], default: 'open', index: true },
    openKey: { type: String, required: true, unique: true },
    doneAt: { type: Date, default: null },
    doneBy: { type: String, default: null },
  },
  { timestamps: true, versionKey: false },
);
export type ContactTask = InferSchemaType<typeof ContactTaskSchema>;
export const ContactTaskModel = mongoose.model('ContactTask', ContactTaskSchema);

/** A guardian's contact that asked for no non-essential messages; the address kept only as an HMAC. */
const OptOutSchema = new Schema(
  {
    contactHash: { type: String, required: true, unique: true },
    at: { type: Date, required: true },
    via: { type: String, default: 'link' },
  },
  { versionKey: false },
);
export const OptOutModel = mongoose.model('OptOut', OptOutSchema);
