/**
 * The parents' status page answers from every domain that hands out reference codes (devices,
 * kindergarten places, food cards). Each domain registers a lookup here; the page and the API know
 * none of them by name.
 */
export type StatusStep = { status: string; date: string };
export type StatusItem = {
  kind: string;
  firstName: string;
  status: string;
  steps: StatusStep[];
  details: Record<string, string | null>;
};
export type StatusLookup = (groupedCode: string) => Promise<StatusItem[]>;

/**
 * Each domain's codes carry its number (0–3): the sum of the characters' places in the alphabet,
 * modulo 4. A lookup then asks the one domain the code names instead of every domain, which
 * doubled the database's work per lookup when kindergarten places joined devices. Codes are drawn
 * until they carry their domain's number, so each domain keeps a quarter of the 30^11 codes:
 * 2^52, above the 50 bits the codes must have.
 */
export const referenceDomains = 4;

const lookups = new Map<string, { domain: number; lookup: StatusLookup }>();

/** Registers (or replaces) a domain's lookup for the codes carrying `domain`; called when the app is built. */
export function registerStatusLookup(kind: string, domain: number, lookup: StatusLookup): void {
  for (const [other, entry] of lookups) if (other !== kind && entry.domain === domain) throw new Error(`reference domain ${domain} is already ${other}'s`);
  lookups.set(kind, { domain, lookup });
}

/** The domain number a normalised code carries. */
export function codeDomain(normalized: string): number {
  let sum = 0;
  for (const ch of normalized) sum += referenceAlphabet.indexOf(ch);
  return sum % referenceDomains;
}

// Crockford-style alphabet: no 0/O, 1/I/L, U, so codes read aloud and typed by hand stay unambiguous.
export const referenceAlphabet = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const codeLength = 11;

/** Uppercases and drops dashes and spaces; null when the code cannot be one of ours. */
export function normalizeReferenceCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s\u2010-\u2015-]/g, '');
  if (code.length !== codeLength) return null;
  for (const ch of code) if (!referenceAlphabet.includes(ch)) return null;
  return code;
}

/** The stored, grouped form of a normalised code (`K7QM4XPA9TR` → `K7QM-4XPA-9TR`). */
export function groupReferenceCode(normalized: string): string {
  return `${normalized.slice(0, 4)}-${normalized.slice(4, 8)}-${normalized.slice(8)}`;
}

/**
 * Everything tied to a reference code; empty for an unknown or malformed code alike. The domain
 * the code names answers first; only when it knows nothing of the code are the others asked, so a
 * code stored before codes carried their domain is still found.
 */
export async function lookupStatus(input: string): Promise<StatusItem[]> {
  const code = normalizeReferenceCode(input);
  if (!code) return [];
  const grouped = groupReferenceCode(code);
  const domain = codeDomain(code);
  const entries = [...lookups.values()];
  const own = entries.filter((e) => e.domain === domain);
  const first = (await Promise.all(own.map((e) => e.lookup(grouped)))).flat();
  if (first.length) return first;
  const rest = await Promise.all(entries.filter((e) => e.domain !== domain).map((e) => e.lookup(grouped)));
  return rest.flat();
}
