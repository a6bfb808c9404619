import type { Job } from 'bullmq';
import type { NotifyDeps } from '../../src/notifications/deps.ts';
import { dispatchEvents } from '../../src/notifications/eventMessages.ts';
import { requeueStuck } from '../../src/notifications/messageService.ts';
import { runReminders } from '../../src/notifications/reminders/index.ts';
import type { NotifyRunJob } from '../queues.ts';

/**
 * The scheduled notification runs: `dispatch` turns new events into messages; `reminders` checks
 * the reminders and requeues stuck messages. Both are safe to run twice or side by side: every
 * message has a deterministic key. A dispatch run handles at most 10,000 events and stops early
 * when the worker closes or imports come first (importsFirst.ts); the next run goes on where it stopped.
 */
export function notificationRunProcessor(deps: NotifyDeps, stopping: () => boolean = () => false, giveWay: () => Promise<boolean> = async () => false) {
  return async (job: Job<NotifyRunJob>) => {
    if (job.name === 'dispatch') return dispatchEvents(deps, { stopping, giveWay });
    // Stuck messages wait at least a quarter of an hour before anyone requeues them, so looking
    // for them every five minutes, with the reminders, is often enough.
    if (job.name === 'reminders') return { ...(await runReminders(deps)), requeued: await requeueStuck(deps) };
    throw new Error(`unknown notifications run ${job.name}`);
  };
}
