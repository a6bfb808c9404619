import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../src/config.ts';
import { channelsFromConfig, configuredChannels, publicBaseUrl } from '../src/notifications/channels/index.ts';
import type { NotifyDeps } from '../src/notifications/deps.ts';
import type { PersonalCodeKey } from '../src/pupils/personalCodes.ts';
import { bullPrefix, messageQueue, notifyQueue, notifyRunsQueue, notifySmsQueue, queueNames, type NotifyRunJob, type SendJob } from './queues.ts';
import { sendProcessor } from './processors/sendNotifications.ts';
import { notificationRunProcessor } from './processors/notificationRuns.ts';
import { importsFirst } from './processors/importsFirst.ts';

export type NotificationWorkerOptions = {
  connection: Redis;
  redisPrefix: string;
  config: Pick<Config, 'notifications' | 'publicUrl' | 'host' | 'port'>;
  key: PersonalCodeKey;
  /** Injected by tests that stand at a chosen hour; the real clock otherwise. */
  now?: () => Date;
  /** How many e-mail batches one process sends at once. */
  emailConcurrency?: number;
  /** This process's name, recorded on every job it runs (BullMQ's processedBy). */
  name?: string;
};

/**
 * The notification side of a worker process: the queues, their producers for the runs, and the
 * three workers (e-mail and outbox batches; SMS one by one under the provider's rate limit; the
 * scheduled runs). The worker entry uses it, and so do the tests and the benchmark.
 */
export function startNotificationWorkers(o: NotificationWorkerOptions) {
  const now = o.now ?? (() => new Date());
  const prefix = bullPrefix(o.redisPrefix);
  const email = notifyQueue(o.connection, o.redisPrefix);
  const sms = notifySmsQueue(o.connection, o.redisPrefix);
  const runs = notifyRunsQueue(o.connection, o.redisPrefix);
  const n = o.config.notifications;
  const channels = channelsFromConfig(n);
  const deps: NotifyDeps = {
    key: o.key,
    baseUrl: publicBaseUrl(o.config),
    configured: configuredChannels(n),
    queue: messageQueue(email, sms, { attempts: n.attempts, delayMs: n.retryMs }),
    now,
  };
  const send = sendProcessor({ channels, key: o.key, now });
  // Set on close, so a dispatch run in hand stops after its page instead of draining a backlog.
  let closing = false;
  const workers = [
    new Worker<SendJob>(queueNames.notify, send, { connection: o.connection, prefix, name: o.name, concurrency: o.emailConcurrency ?? 4 }),
    new Worker<SendJob>(queueNames.notifySms, send, {
      connection: o.connection,
      prefix,
      name: o.name,
      concurrency: 4,
      limiter: { max: n.sms?.perSecond ?? 10, duration: 1000 },
    }),
    new Worker<NotifyRunJob>(queueNames.notifyRuns, notificationRunProcessor(deps, () => closing, importsFirst(now, n.importWaitMs)), { connection: o.connection, prefix, name: o.name, concurrency: 1 }),
  ];
  return {
    deps,
    queues: { email, sms, runs },
    workers,
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([email.close(), sms.close(), runs.close()]);
      await Promise.all(Object.values(channels).map((c) => c?.close()));
    },
  };
}
