/**
 * The parents' status page answers from every domain that hands out reference codes (devices,
 * kindergarten places, food cards). Each domain registers a lookup here; the page and the API know
 * none of them by name.
 */
export type StatusItem = { kind: string; firstName: string; status: string; details: Record<string, string | null> };
export type StatusLookup = (normalizedCode: string) => Promise<StatusItem[]>;

const lookups: StatusLookup[] = [];

/** Registers a domain's lookup (called once at start-up by that domain). */
export function registerStatusLookup(lookup: StatusLookup): void {
  lookups.push(lookup);
}

// Crockford-style alphabet: no 0/O, 1/I/L, U, so codes read aloud and typed by hand stay unambiguous.
export const referenceAlphabet = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Uppercases and drops dashes and spaces; null when the code cannot be one of ours. */
export function normalizeReferenceCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (code.length < 8 || code.length > 16) return null;
  for (const ch of code) if (!referenceAlphabet.includes(ch)) return null;
  return code;
}

/** Everything tied to a reference code; empty for an unknown or malformed code alike. */
export async function lookupStatus(input: string): Promise<StatusItem[]> {
  const code = normalizeReferenceCode(input);
  if (!code) return [];
  const found = await Promise.all(lookups.map((l) => l(code)));
  return found.flat();
}
