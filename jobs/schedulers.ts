import type { Queue } from 'bullmq';

/**
 * Repeating jobs. upsertJobScheduler is idempotent, so every worker may call it at start-up and
 * there is still one schedule, firing once per interval however many workers run.
 */
export async function upsertSchedules(system: Queue, notifyRuns?: Queue, dashboardEveryMs = 60_000): Promise<void> {
  await system.upsertJobScheduler('heartbeat', { every: 30_000 }, { name: 'heartbeat', data: {}, opts: { removeOnComplete: 10, removeOnFail: 50 } });
  // The dashboard's figures are counted here, not on each visit (src/dashboard/service.ts).
  await system.upsertJobScheduler('dashboard', { every: dashboardEveryMs }, { name: 'dashboard', data: {}, opts: { removeOnComplete: 10, removeOnFail: 50 } });
  // Imports whose job was lost to an outage are put back (jobs/processors/sweepImports.ts).
  await system.upsertJobScheduler('sweep-imports', { every: 60_000 }, { name: 'sweep-imports', data: {}, opts: { removeOnComplete: 10, removeOnFail: 50 } });
  // The schedule below was `open-needs` until the parents' entries joined; one left from before
  // would run a job no worker knows.
  await system.removeJobScheduler('open-needs');
  // The needs' entries (the allocation proposal's and the parents' lookup's) are compared with the
  // needs and mended (src/devices/needEntries.ts).
  await system.upsertJobScheduler('need-entries', { every: 600_000 }, { name: 'need-entries', data: {}, opts: { removeOnComplete: 10, removeOnFail: 50 } });
  if (!notifyRuns) return;
  // New events become messages within seconds; reminders are checked every five minutes, which
  // is how late after the kindergarten deadline the first reminder can go.
  await notifyRuns.upsertJobScheduler('notify-dispatch', { every: 5_000 }, { name: 'dispatch', data: {}, opts: { removeOnComplete: 10, removeOnFail: 50 } });
  await notifyRuns.upsertJobScheduler('notify-reminders', { every: 300_000 }, { name: 'reminders', data: {}, opts: { removeOnComplete: 10, removeOnFail: 50 } });
}
