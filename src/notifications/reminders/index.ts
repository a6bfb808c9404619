import { rigaMoment, rigaToday } from '../../shared/dates.ts';
import type { NotifyDeps } from '../deps.ts';
import { createMessages } from '../messageService.ts';
import { reminderSettings } from '../settings.ts';
import { uncollected } from './guardians.ts';
import { attendanceMissing, coordinatorDigests, needsStale } from './staff.ts';

/** Reminders other than the kindergarten deadline wait for the working day. */
export const remindersFrom = '08:00';

/**
 * One reminder run (scheduled every few minutes): checks each reminder against the settings and
 * the injected clock and makes its messages. Every reminder's key names its subject and its day or
 * number, so running again, on another worker or after a crash, makes nothing twice.
 */
export async function runReminders(deps: NotifyDeps): Promise<{ made: number; queued: number }> {
  const now = deps.now();
  const settings = await reminderSettings();
  const workingDay = now >= rigaMoment(rigaToday(now), remindersFrom);
  const drafts = [
    ...(await attendanceMissing(deps, settings)),
    ...(workingDay ? await needsStale(deps, settings) : []),
    ...(workingDay ? await uncollected(deps, settings) : []),
    ...(workingDay ? await coordinatorDigests(deps, settings) : []),
  ];
  return createMessages(drafts, deps);
}
