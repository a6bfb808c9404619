import { createHash, randomBytes } from 'node:crypto';
import { ApiTokenModel, UserModel } from './model.ts';
import type { AnyActor } from './actor.ts';
import { recordAudit } from '../audit/service.ts';
import { NotFound } from '../errors.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Creates an API token for a user; the token itself is returned once and only its hash is kept. */
export async function createApiToken(actor: AnyActor, email: string, name = ''): Promise<{ id: string; token: string }> {
  const user = await UserModel.findOne({ email: email.toLowerCase() });
  if (!user) throw new NotFound('user_not_found');
  const token = 'edu_' + randomBytes(32).toString('base64url');
  const doc = await ApiTokenModel.create({ user: user._id, name, hash: sha256(token), prefix: token.slice(0, 10) });
  await recordAudit({ actor, action: 'token.create', target: { type: 'user', id: String(user._id), label: user.email }, details: { tokenId: String(doc._id), name } });
  return { id: String(doc._id), token };
}

/** Revokes a token by id; it stops working at once. */
export async function revokeApiToken(actor: AnyActor, id: string): Promise<void> {
  const doc = await ApiTokenModel.findOneAndUpdate({ _id: id, revokedAt: null }, { $set: { revokedAt: new Date() } });
  if (!doc) throw new NotFound('token_not_found');
  await recordAudit({ actor, action: 'token.revoke', target: { type: 'token', id } });
}

/** Finds the active user behind a bearer token, or null. */
export async function findUserByToken(token: string) {
  if (!token.startsWith('edu_')) return null;
  const doc = await ApiTokenModel.findOneAndUpdate({ hash: sha256(token), revokedAt: null }, { $set: { lastUsedAt: new Date() } });
  if (!doc) return null;
  const user = await UserModel.findOne({ _id: doc.user, active: true });
  return user ?? null;
}

/** Lists a user's tokens (never the tokens themselves). */
export async function listApiTokens(email: string) {
  const user = await UserModel.findOne({ email: email.toLowerCase() });
  if (!user) throw new NotFound('user_not_found');
  const docs = await ApiTokenModel.find({ user: user._id }).sort({ createdAt: -1 }).lean();
  return docs.map((d) => ({ id: String(d._id), name: d.name, prefix: d.prefix, revokedAt: d.revokedAt, lastUsedAt: d.lastUsedAt }));
}
