import { DelayedError, type Job } from 'bullmq';
import { sendMessages, type SendDeps } from '../../src/notifications/sender.ts';
import type { SendJob } from '../queues.ts';

/** Thrown to make BullMQ retry a job with backoff: some of its messages met a transient failure. */
export class RetryLater extends Error {
  override name = 'RetryLater';
}

/**
 * Sends one job's messages. Each message is claimed before its channel is called and recorded
 * after (src/notifications/sender.ts), so a retry or a duplicate job sends nothing twice. Messages
 * with a transient failure make the job retry with exponential backoff; on the last try they are
 * marked failed. An SMS that meets the quiet hours moves its job to the morning.
 */
export function sendProcessor(deps: SendDeps) {
  return async (job: Job<SendJob>, token?: string): Promise<{ sent: number }> => {
    const attempt = { owner: `job-${job.id}`, last: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) };
    const outcomes = await sendMessages(job.data.messageIds, attempt, deps);
    const held = outcomes.find((o) => o.result === 'held');
    if (held && held.result === 'held' && outcomes.length === 1) {
      await job.moveToDelayed(Date.now() + Math.max(0, held.until.getTime() - deps.now().getTime()), token);
      throw new DelayedError();
    }
    const retry = outcomes.filter((o) => o.result === 'retry');
    if (retry.length) throw new RetryLater(`${retry.length} of ${outcomes.length} messages to retry`);
    return { sent: outcomes.filter((o) => o.result === 'sent' || o.result === 'delivered').length };
  };
}
