import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

/**
 * Personal codes are never stored in clear: a keyed hash (HMAC-SHA256) to match them across
 * imports, a masked form for lists, and AES-256-GCM ciphertext for the few who may see the full
 * code (every such view is audited by the caller). The key comes from PERSONAL_CODE_KEY.
 */
export type PersonalCodeKey = Buffer;

const derived = new WeakMap<PersonalCodeKey, Map<string, KeyObject>>();

/**
 * Derives separate keys for hashing and encryption from the one configured secret, once per key:
 * an import hashes and encrypts every row, and deriving and wrapping the key each time cost more
 * than the hashing itself.
 */
function subkey(key: PersonalCodeKey, purpose: string): KeyObject {
  let byPurpose = derived.get(key);
  if (!byPurpose) derived.set(key, (byPurpose = new Map()));
  let k = byPurpose.get(purpose);
  if (!k) byPurpose.set(purpose, (k = createSecretKey(createHmac('sha256', key).update(purpose).digest())));
  return k;
}

/** The matching key for a normalised code. */
export function hashPersonalCode(key: PersonalCodeKey, code: string): string {
  return createHmac('sha256', subkey(key, 'match')).update(code).digest('base64url');
}

/** Encrypts a normalised code as `iv.tag.ciphertext` (base64url parts). */
export function encryptPersonalCode(key: PersonalCodeKey, code: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', subkey(key, 'encrypt'), iv);
  const data = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.');
}

/** Decrypts what encryptPersonalCode made; throws when it was tampered with. */
export function decryptPersonalCode(key: PersonalCodeKey, stored: string): string {
  const [iv, tag, data] = stored.split('.').map((p) => Buffer.from(p, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', subkey(key, 'encrypt'), iv!);
  decipher.setAuthTag(tag!);
  return Buffer.concat([decipher.update(data!), decipher.final()]).toString('utf8');
}
