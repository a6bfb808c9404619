import { createHash } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { MessageQueue } from '../src/notifications/deps.ts';

/**
 * Queue names and payloads. Payloads carry ids only, never rows, files or personal codes: job data
 * sits in Redis and shows on dashboards. Every queue lives under the instance's Redis prefix.
 */
export const queueNames = { system: 'system', imports: 'imports', notify: 'notify', notifySms: 'notify-sms', notifyRuns: 'notify-runs' } as const;

export type SystemJob = { name: 'heartbeat'; data: Record<string, never> };
/** An import job: the import's id, nothing from the file. */
export type ImportJob = { importId: string };

/** A sending job: message ids only (the message records hold addresses and text). */
export type SendJob = { messageIds: string[] };
/** A scheduled notifications run: `dispatch` (events to messages, stuck ones requeued) or `reminders`. */
export type NotifyRunJob = Record<string, never>;

/** The BullMQ prefix for an instance: the same prefix as sessions and limits. */
export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}:bull`;
}

/** The system queue: housekeeping jobs such as the worker's heartbeat. */
export function systemQueue(connection: Redis, redisPrefix: string): Queue {
  return new Queue(queueNames.system, { connection, prefix: bullPrefix(redisPrefix) });
}

/** The imports queue. */
export function importsQueue(connection: Redis, redisPrefix: string): Queue<ImportJob> {
  return new Queue<ImportJob>(queueNames.imports, { connection, prefix: bullPrefix(redisPrefix) });
}

/**
 * Queues an import by id. The job id is the import id, so a repeated request never queues it twice;
 * transient failures retry with exponential backoff: eight tries over about four minutes (2 s, 4 s,
 * … 128 s apart) ride out a database or Redis restart. An import whose tries all fall in a longer
 * outage, with its failure unwritten, is put back by the sweep (processors/sweepImports.ts); one
 * whose tries all failed is put back when someone presses "Try again". Either way a finished job of
 * the same id is removed first, as adding it again would otherwise be a no-op.
 */
export async function enqueueImport(queue: Queue<ImportJob>, importId: string): Promise<void> {
  const old = await queue.getJob(importId);
  if (old) {
    if (jobOnItsWay(await old.getState())) return;
    await old.remove().catch(() => {});
  }
  await queue.add('import', { importId }, { jobId: importId, attempts: 8, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 });
}

/** Waiting, delayed, prioritised or running: a worker will get to it (or has it). */
export function jobOnItsWay(state: string): boolean {
  return state !== 'failed' && state !== 'completed' && state !== 'unknown';
}

/** The e-mail and outbox sending queue. */
export function notifyQueue(connection: Redis, redisPrefix: string): Queue<SendJob> {
  return new Queue<SendJob>(queueNames.notify, { connection, prefix: bullPrefix(redisPrefix) });
}

/** The SMS queue: one message per job, so the worker's rate limiter counts messages. */
export function notifySmsQueue(connection: Redis, redisPrefix: string): Queue<SendJob> {
  return new Queue<SendJob>(queueNames.notifySms, { connection, prefix: bullPrefix(redisPrefix) });
}

/** The queue the notification schedules fire into. */
export function notifyRunsQueue(connection: Redis, redisPrefix: string): Queue<NotifyRunJob> {
  return new Queue<NotifyRunJob>(queueNames.notifyRuns, { connection, prefix: bullPrefix(redisPrefix) });
}

// E-mails go in batches: one job claims, sends and records its messages (a few at a time, see
// sendMessages) over pooled SMTP connections, which costs far less per message than a job each.
// Only the messages in flight are ever `sending`, so a batch's size does not change what a
// crashed job leaves unknown.
const emailBatch = 100;

const jobIdOf = (ids: string[], salt = '') => `send-${createHash('sha1').update(`${ids.join(',')}|${salt}`).digest('hex')}`;

/**
 * The producer side of sending, for src/ (which never imports jobs/). Job ids come from the
 * message ids, so queueing the same messages again while their job exists adds nothing.
 */
export function messageQueue(email: Queue<SendJob>, sms: Queue<SendJob>, retry: { attempts: number; delayMs: number }): MessageQueue {
  const opts = { attempts: retry.attempts, backoff: { type: 'exponential', delay: retry.delayMs }, removeOnComplete: { count: 20_000 }, removeOnFail: { count: 20_000 } };
  return {
    async enqueue(batches, o = {}) {
      const jobs = [];
      for (let i = 0; i < batches.other.length; i += emailBatch) {
        const ids = batches.other.slice(i, i + emailBatch);
        jobs.push({ name: 'send', data: { messageIds: ids }, opts: { ...opts, jobId: jobIdOf(ids, o.salt) } });
      }
      if (jobs.length) await email.addBulk(jobs);
      const delay = Math.max(0, o.smsDelayMs ?? 0);
      if (batches.sms.length) await sms.addBulk(batches.sms.map((id) => ({ name: 'send', data: { messageIds: [id] }, opts: { ...opts, delay, jobId: jobIdOf([id], o.salt) } })));
    },
  };
}
