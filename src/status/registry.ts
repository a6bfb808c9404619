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

const lookups = new Map<string, StatusLookup>();

/** Registers (or replaces) a domain's lookup; called when the app is built. */
export function registerStatusLookup(kind: string, lookup: StatusLookup): void {
  lookups.set(kind, lookup);
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

/** Everything tied to a reference code; empty for an unknown or malformed code alike. */
export async function lookupStatus(input: string): Promise<StatusItem[]> {
  const code = normalizeReferenceCode(input);
  if (!code) return [];
  const found = await Promise.all([...lookups.values()].map((l) => l(groupReferenceCode(code))));
  return found.flat();
}
