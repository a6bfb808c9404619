import os from 'node:os';
import { Worker, type Job } from 'bullmq';
import { bootstrap, onShutdown } from '../src/runtime.ts';
import { connectDatabase, disconnectDatabase } from '../src/db.ts';
import { watchDatabaseClient } from '../src/dbWatchdog.ts';
import { createQueueRedis } from '../src/redis.ts';
import { bullPrefix, importsQueue, queueNames, systemQueue } from './queues.ts';
import { importProcessor } from './processors/importSpreadsheet.ts';
import { resolvePersonalCodeKey } from '../src/infra/secrets.ts';
import { upsertSchedules } from './schedulers.ts';
import { processHeartbeat } from './processors/heartbeat.ts';
import { requeueStrandedImports } from './processors/sweepImports.ts';
import { startNotificationWorkers } from './notificationWorkers.ts';
import { refreshDashboard } from '../src/dashboard/service.ts';
import { rebuildNeedEntries } from '../src/devices/needEntries.ts';
import { keepNeedStatusesIn } from '../src/devices/needStatuses.ts';

/** The background worker: runs queued and scheduled jobs; closes gracefully on SIGTERM. */
const { config, logger, connections } = await bootstrap('worker');
const connection = createQueueRedis(connections.redisUrl);
connection.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
void connectDatabase(connections.mongoUri, logger);
const databaseWatch = watchDatabaseClient(connections.mongoUri, logger);

// Imports change needs, and each change writes the parents' entry in Redis (needStatuses.ts).
keepNeedStatusesIn(connection, connections.redisPrefix);
const system = systemQueue(connection, connections.redisPrefix);
const importQueue = importsQueue(connection, connections.redisPrefix);
// With several worker processes on several machines, each job records which one ran it
// (BullMQ's processedBy), so a job that went wrong can be traced to a machine and its log.
const name = `${os.hostname()}:${process.pid}`;
const personalCodeKey = resolvePersonalCodeKey(config.personalCodeKey, config.dataDir);
const notifications = startNotificationWorkers({ connection, redisPrefix: connections.redisPrefix, config, key: personalCodeKey, name });
await upsertSchedules(system, notifications.queues.runs, config.dashboardRefreshSeconds * 1000);
// A schedule's first run waits a whole interval: the needs' entries are also mended at once on
// start (a start often follows a stop that cut a change off between its two writes). One job
// however many workers start together; it is removed when done, so the next start adds it again.
await system.add('need-entries', {}, { jobId: 'need-entries-on-start', removeOnComplete: true, removeOnFail: true });
await processHeartbeat(connection, connections.redisPrefix);

const worker = new Worker(
  queueNames.system,
  async (job: Job) => {
    if (job.name === 'heartbeat') return processHeartbeat(connection, connections.redisPrefix);
    if (job.name === 'dashboard') return void (await refreshDashboard(config.devices.staleStockDays));
    if (job.name === 'sweep-imports') {
      const requeued = await requeueStrandedImports(importQueue);
      if (requeued) logger.warn({ requeued }, 'imports with no job put back in the queue');
      return;
    }
    if (job.name === 'need-entries') {
      const { open, status } = await rebuildNeedEntries();
      if (open.added + open.changed + open.closed) logger.info(open, 'allocation entries mended');
      if (status.added + status.changed + status.removed) logger.info(status, 'status entries mended');
      return;
    }
    throw new Error(`unknown system job ${job.name}`);
  },
  { connection, prefix: bullPrefix(connections.redisPrefix), name, concurrency: 1 },
);
// Parsing is streamed and yields between rows, so one import at a time per worker keeps lock
// renewal responsive; more throughput comes from more worker processes.
const imports = new Worker(queueNames.imports, importProcessor({ redis: connection, prefix: connections.redisPrefix, key: personalCodeKey, maxRows: config.imports.maxRows }), {
  connection,
  prefix: bullPrefix(connections.redisPrefix),
  name,
  concurrency: 1,
});
for (const w of [worker, imports, ...notifications.workers]) {
  w.on('failed', (job, err) => logger.warn({ jobId: job?.id, name: job?.name, err: err.message }, 'job failed'));
  w.on('error', (err) => logger.warn({ err: err.message }, 'worker error'));
}
logger.info('worker started');

onShutdown(logger, async () => {
  // Finish the job in hand, then release the connections.
  databaseWatch.stop();
  await Promise.all([worker.close(), imports.close(), notifications.close()]);
  await Promise.all([system.close(), importQueue.close()]);
  await Promise.allSettled([disconnectDatabase(), connection.quit()]);
});
