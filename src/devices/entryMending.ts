/**
 * The rule both mending runs of the needs' entries (openNeeds.ts, needStatuses.ts) share: an
 * entry written after the run began is newer than what the run read, and is left alone. A change
 * written by another machine up to a minute "before" the run began (clocks differ) still counts
 * as newer.
 */
const clockSlackMs = 60_000;

/** Entries written at or after this time (ms) are left alone by a run that began at `now`. */
export function untouchedFrom(now: Date): number {
  return now.getTime() - clockSlackMs;
}
