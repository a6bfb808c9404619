import { UserModel } from './model.ts';
import type { Actor } from './actor.ts';
import { verifyDummyPassword, verifyPassword } from './password.ts';
import { findUserByToken } from './tokens.ts';
import { toActor } from '../users/service.ts';
import { recordAudit } from '../audit/service.ts';

/**
 * Checks e-mail and password. An unknown e-mail, an inactive account and a wrong password all
 * answer null after the same amount of work, so the answer says nothing about which it was.
 * Success and failure are both audited.
 */
export async function verifyCredentials(email: string, password: string, ip: string | null): Promise<Actor | null> {
  const normalized = email.trim().toLowerCase();
  const user = normalized ? await UserModel.findOne({ email: normalized }) : null;
  const ok = user && user.active ? await verifyPassword(password, user.passwordHash) : await verifyDummyPassword(password);
  if (!user || !ok) {
    await recordAudit({
      actor: { kind: 'anonymous' },
      action: 'auth.signin_failed',
      target: { type: 'user', id: user ? String(user._id) : null, label: normalized.slice(0, 200) },
      ip,
    });
    return null;
  }
  await UserModel.updateOne({ _id: user._id }, { $set: { lastSignInAt: new Date() } });
  const actor = await toActor(user, 'session');
  await recordAudit({ actor, action: 'auth.signin', target: { type: 'user', id: actor.id, label: actor.email }, institution: actor.institutionCode, ip });
  return actor;
}

/** Loads the actor for a session's user id; null when the account is gone or deactivated. */
export async function actorForSession(userId: string): Promise<Actor | null> {
  const user = await UserModel.findOne({ _id: userId, active: true });
  return user ? toActor(user, 'session') : null;
}

/** Loads the actor behind a bearer token; null when the token is unknown or revoked. */
export async function actorForToken(token: string): Promise<Actor | null> {
  const user = await findUserByToken(token);
  return user ? toActor(user, 'token') : null;
}

/** Audits a sign-out. */
export async function recordSignOut(actor: Actor, ip: string | null): Promise<void> {
  await recordAudit({ actor, action: 'auth.signout', target: { type: 'user', id: actor.id, label: actor.email }, institution: actor.institutionCode, ip });
}
