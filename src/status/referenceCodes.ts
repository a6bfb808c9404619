import { randomInt } from 'node:crypto';
import { codeDomain, groupReferenceCode, referenceAlphabet } from './registry.ts';

/**
 * A parent's reference code for `domain`: 11 characters from a 30-letter alphabet without
 * look-alikes, grouped 4-4-3 for reading aloud (e.g. `K7QM-4XPA-9TR`), drawn until it carries the
 * domain's number (see codeDomain), which leaves 30^11 / 4 ≈ 2^52 codes per domain.
 */
export function newReferenceCode(domain: number): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < 11; i++) s += referenceAlphabet[randomInt(referenceAlphabet.length)];
    if (codeDomain(s) === domain) return groupReferenceCode(s);
  }
}
