import type { Job } from 'bullmq';
import type { NotifyDeps } from '../../src/notifications/deps.ts';
import { dispatchEvents } from '../../src/notifications/eventMessages.ts';
import { requeueStuck } from '../../src/notifications/messageService.ts';
import { runReminders } from '../../src/notifications/reminders/index.ts';
import type { NotifyRunJob } from '../queues.ts';

/**
 * The scheduled notification runs: `dispatch` turns new events into messages and requeues stuck
 * ones; `reminders` checks the reminders. Both are safe to run twice or side by side: every
 * message has a deterministic key.
 */
export function notificationRunProcessor(deps: NotifyDeps) {
  return async (job: Job<NotifyRunJob>) => {
    if (job.name === 'dispatch') {
      const r = await dispatchEvents(deps);
      const requeued = await requeueStuck(deps);
      return { ...r, requeued };
    }
    if (job.name === 'reminders') return runReminders(deps);
    throw new Error(`unknown notifications run ${job.name}`);
  };
}
