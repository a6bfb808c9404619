import mongoose, { Schema, type InferSchemaType, type HydratedDocument } from 'mongoose';

export const roles = ['coordinator', 'principal'] as const;
export type Role = (typeof roles)[number];

const UserSchema = new Schema(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    name: { type: String, default: '' },
    passwordHash: { type: String, required: true },
    role: { type: String, required: true, enum: roles },
    // A principal belongs to exactly one institution; a coordinator to none.
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', default: null },
    language: { type: String, enum: ['lv', 'ru', 'en'], default: 'lv' },
    active: { type: Boolean, default: true },
    lastSignInAt: { type: Date, default: null },
  },
  { timestamps: true },
);

/** Revocable API tokens for scripts; only the SHA-256 of the token is kept. */
const ApiTokenSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    name: { type: String, default: '' },
    hash: { type: String, required: true, unique: true },
    prefix: { type: String, required: true },
    revokedAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

export type User = InferSchemaType<typeof UserSchema>;
export type UserDoc = HydratedDocument<User>;
export const UserModel = mongoose.model('User', UserSchema);
export const ApiTokenModel = mongoose.model('ApiToken', ApiTokenSchema);
