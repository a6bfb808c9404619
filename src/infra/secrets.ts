import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * SESSION_SECRET when set; otherwise a random secret made once and kept under DATA_DIR (mode 0600),
 * so sessions survive restarts and every process on this machine signs cookies alike.
 */
export function resolveSessionSecret(configured: string | undefined, dataDir: string): string {
  return resolveSecret(configured, dataDir, 'session-secret');
}

/**
 * PERSONAL_CODE_KEY when set, else one made once under DATA_DIR like the session secret. Losing
 * it makes stored personal codes unmatchable, so production must set and back it up.
 */
export function resolvePersonalCodeKey(configured: string | undefined, dataDir: string): Buffer {
  return Buffer.from(resolveSecret(configured, dataDir, 'personal-code-key'), 'utf8');
}

function resolveSecret(configured: string | undefined, dataDir: string, name: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, name);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      // Another process wrote it first: use theirs.
      return fs.readFileSync(file, 'utf8').trim();
    }
  }
}
