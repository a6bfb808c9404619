import { createHmac } from 'node:crypto';
import type { PersonalCodeKey } from '../pupils/personalCodes.ts';
import { OptOutModel } from './model.ts';

/**
 * A contact (e-mail or phone) as an HMAC: the opt-out list and the opt-out link's token hold this,
 * never the address, and without the key nobody can make a token for someone else's address.
 */
export function contactHash(key: PersonalCodeKey, address: string): string {
  return createHmac('sha256', key).update(`contact:${address.trim().toLowerCase()}`).digest('base64url').slice(0, 32);
}

/** The page a guardian opens to stop non-essential messages to this address. */
export function optOutUrl(baseUrl: string, key: PersonalCodeKey, address: string): string {
  return `${baseUrl}/notifications/opt-out/${contactHash(key, address)}`;
}

/** True for a token this service could have made (the right length and alphabet). */
export function isContactToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{32}$/.test(token);
}

/** Of these addresses' hashes, the ones that opted out. */
export async function optedOut(hashes: string[]): Promise<Set<string>> {
  if (!hashes.length) return new Set();
  const found = await OptOutModel.find({ contactHash: { $in: [...new Set(hashes)] } }, { contactHash: 1 }).lean();
  return new Set(found.map((o) => o.contactHash));
}

/** Records an opt-out (idempotent: opting out twice is once). */
export async function recordOptOut(token: string, via: 'link' | 'coordinator', now = new Date()): Promise<void> {
  await OptOutModel.updateOne({ contactHash: token }, { $setOnInsert: { contactHash: token, at: now, via } }, { upsert: true });
}

/** Takes an opt-out back (the guardian asked for the messages again). */
export async function removeOptOut(token: string): Promise<boolean> {
  return (await OptOutModel.deleteOne({ contactHash: token })).deletedCount > 0;
}

/** True while this token's address is opted out. */
export async function isOptedOut(token: string): Promise<boolean> {
  return (await OptOutModel.exists({ contactHash: token })) !== null;
}
