import { Queue, Worker } from 'bullmq';
import { createQueueRedis, type Redis } from '../../src/redis.ts';
import { bullPrefix, enqueueImport, importsQueue, messageQueue as bullMessageQueue, notifyQueue, notifySmsQueue, queueNames, type ImportJob } from '../../jobs/queues.ts';
import { importProcessor } from '../../jobs/processors/importSpreadsheet.ts';
import type { ImportQueue } from '../../src/imports/jobs.ts';

export const testPersonalCodeKey = Buffer.from('test-personal-code-key-0123456789abcdef');

/** The real imports queue and an in-process BullMQ worker on the run's Redis prefix. */
export function startImportJobs(redisUrl: string, prefix: string, maxRows = 200_000) {
  const connection: Redis = createQueueRedis(redisUrl);
  const queue: Queue<ImportJob> = importsQueue(connection, prefix);
  const worker = new Worker<ImportJob>(queueNames.imports, importProcessor({ redis: connection, prefix, key: testPersonalCodeKey, maxRows }), {
    connection,
    prefix: bullPrefix(prefix),
    concurrency: 2,
  });
  const importQueue: ImportQueue = { enqueueImport: (id) => enqueueImport(queue, id) };
  // The API's side of sending (resend); the notification tests start the senders themselves.
  const notify = notifyQueue(connection, prefix);
  const notifySms = notifySmsQueue(connection, prefix);
  const messageQueue = bullMessageQueue(notify, notifySms, { attempts: 3, delayMs: 200 });
  return {
    queue,
    worker,
    importQueue,
    messageQueue,
    async stop() {
      await worker.close();
      await Promise.all([queue.close(), notify.close(), notifySms.close()]);
      connection.disconnect();
    },
  };
}
