/** Reading form and query values the way the pages need them (forms send strings, or lists of them). */

type Body = Record<string, unknown>;

/** One form or query value as text ('' when absent; the first when sent twice). */
export function text(source: unknown, key: string): string {
  const value = (source as Body | undefined)?.[key];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/** A repeated form value (checkboxes) as a list. */
export function list(source: unknown, key: string): string[] {
  const value = (source as Body | undefined)?.[key];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
}

/** The named values as typed, for showing a refused form again. */
export function values(source: unknown, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, text(source, k)]));
}

/** Drops blank values, so optional fields left empty are absent rather than invalid. */
export function given<T extends Record<string, string | undefined>>(v: T): Partial<T> {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x.trim() !== '')) as Partial<T>;
}
