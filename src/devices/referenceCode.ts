import { randomInt } from 'node:crypto';
import { groupReferenceCode, referenceAlphabet } from '../status/registry.ts';

/**
 * A parent's reference code: 11 characters from a 30-letter alphabet without look-alikes
 * (30^11 ≈ 2^54 possibilities), grouped 4-4-3 for reading aloud, e.g. `K7QM-4XPA-9TR`.
 */
export function newReferenceCode(): string {
  let s = '';
  for (let i = 0; i < 11; i++) s += referenceAlphabet[randomInt(referenceAlphabet.length)];
  return groupReferenceCode(s);
}
