import type { Queue } from 'bullmq';

/**
 * Repeating jobs. upsertJobScheduler is idempotent, so every worker may call it at start-up and
 * there is still one schedule, firing once per interval however many workers run.
 */
export async function upsertSchedules(system: Queue): Promise<void> {
  await system.upsertJobScheduler('heartbeat', { every: 30_000 }, { name: 'heartbeat', data: {}, opts: { removeOnComplete: 10, removeOnFail: 50 } });
}
