import { normalizeHeader } from '../../imports/headers.ts';

/**
 * The child search finds pupils by name, class or the visible part of a personal code in well
 * under 100 ms among 220,000 pupils. A regular expression over names reads every document, so each
 * pupil carries its search words instead: every prefix (from `minPrefix` letters) of each word of
 * its names, its class, and the six visible digits of its masked code. An equality on one array
 * element is answered from an index on MongoDB and on the embedded database alike.
 */
export const minPrefix = 2;
const maxPrefix = 20;

/** A word as searched: lower case, diacritics and punctuation off (`Bērziņš` → `berzins`). */
export function searchWord(s: string): string {
  return normalizeHeader(s).replaceAll('-', ' ').replaceAll(' ', '');
}

/** The words a search text is made of, each folded as stored. */
export function searchWords(text: string): string[] {
  return normalizeHeader(text)
    .split(/[\s-]+/u)
    .map((w) => w.replaceAll('-', ''))
    .filter((w) => w.length > 0);
}

function prefixes(word: string): string[] {
  const out: string[] = [];
  for (let n = Math.min(minPrefix, word.length); n <= Math.min(word.length, maxPrefix); n++) out.push(word.slice(0, n));
  return out;
}

// Pairs keep a few prefix lengths only: enough to make a pair rare, few enough to keep the keys
// per pupil small. A typed word is cut to the longest of them it reaches (pairLength).
const pairLengths = [2, 3, 4, 6];

function pairPrefixes(word: string): string[] {
  return pairLengths.filter((n) => n <= word.length).map((n) => word.slice(0, n));
}

/** The prefix of a typed word that a pair key holds. */
function pairLength(word: string): string {
  const n = pairLengths.filter((l) => l <= word.length).at(-1) ?? word.length;
  return word.slice(0, n);
}

/** A pair of name words as one key, the same whichever order they are typed in. */
export function namePairKey(a: string, b: string): string {
  const x = pairLength(a);
  const y = pairLength(b);
  return x <= y ? `${x}+${y}` : `${y}+${x}`;
}

/** A class with a name word as one key. */
export function classPairKey(cls: string, word: string): string {
  return `class:${cls}+${pairLength(word)}`;
}

/**
 * Samples of the children, one in 256 and one in 32, also carry their word and class keys marked
 * with the rate (`~256:anna`). A search for one word ("anna", "9.a") reads the small sample first:
 * when it holds many, the word matches hundreds or thousands, and the sample is what is shown,
 * said to be some of the matches. Reading all 17,000 Annas would take the embedded database most
 * of a second, and no one reads 17,000 names. The one-in-256 children are among the one-in-32.
 */
export const sampleRates = [256, 32] as const;
export type SampleRate = (typeof sampleRates)[number];
export const sampleKey = (key: string, rate: SampleRate = sampleRates[0]) => `~${rate}:${key}`;

// FNV-1a over the child's names and visible code: the same child is always in or out of a sample.
function sampleHash(p: { firstName: string; lastName: string; personalCodeMasked?: string | null }): number {
  let h = 0x811c9dc5;
  for (const ch of `${p.firstName}|${p.lastName}|${p.personalCodeMasked ?? ''}`) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return h;
}

/** Marks records whose keys are made the current way; older ones are remade once (backfill.ts). */
export const searchKeysVersion = 'v:4';

/**
 * The search keys of one pupil or child. Besides each word's prefixes, every two name words and
 * the class with each name word are also kept as one key: a search for "anna bērz" or "9.a anna"
 * then reads the few children who have both instead of every Anna in the city.
 */
export function pupilSearchKeys(p: { firstName: string; lastName: string; class?: string | null; personalCodeMasked?: string | null }): string[] {
  const keys = new Set<string>([searchKeysVersion]);
  const words = [...searchWords(p.firstName), ...searchWords(p.lastName)].filter((w) => w.length >= minPrefix);
  for (const w of words) for (const k of prefixes(w)) keys.add(k);
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j < words.length; j++) {
      for (const a of pairPrefixes(words[i]!)) for (const b of pairPrefixes(words[j]!)) keys.add(namePairKey(a, b));
    }
  }
  // A class is searched whole ("9a", "9.a" and "9 A" alike), never by prefix: "9" alone would match a whole year.
  const cls = p.class ? searchWord(p.class) : '';
  if (cls) {
    keys.add(`class:${cls}`);
    for (const w of words) for (const a of pairPrefixes(w)) keys.add(classPairKey(cls, a));
  }
  const hash = sampleHash(p);
  const sampled = [...keys].filter((k) => k !== searchKeysVersion && !k.includes('+'));
  for (const rate of sampleRates) if (hash % rate === 0) for (const k of sampled) keys.add(sampleKey(k, rate));
  const birth = p.personalCodeMasked?.match(/^(\d{6})/)?.[1];
  if (birth) keys.add(birth);
  return [...keys];
}
