/**
 * Priority 1 is the most urgent, 5 the least. A need without one gets it from the class: pupils in
 * the final year of basic (9th) or secondary (12th) school face their exams first.
 */
export const defaultPriority = 3;

const finalYears = new Set([9, 12]);

/** The priority a need gets when none was given, from a class such as `12.a`, `9B` or `12`. */
export function priorityForClass(className: string | null | undefined): number {
  const year = /^\s*(\d{1,2})/.exec(className ?? '')?.[1];
  return year && finalYears.has(Number(year)) ? 1 : defaultPriority;
}

/** The given priority, or the one for the class. */
export function effectivePriority(given: number | null | undefined, className: string | null | undefined): number {
  return given ?? priorityForClass(className);
}
