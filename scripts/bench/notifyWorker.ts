import { loadConfig } from '../../src/config.ts';
import { connectDatabase, disconnectDatabase } from '../../src/db.ts';
import { dbNameFromUri, redisPrefixFor } from '../../src/infra/connections.ts';
import { resolvePersonalCodeKey } from '../../src/infra/secrets.ts';
import { createLogger } from '../../src/logger.ts';
import { createQueueRedis } from '../../src/redis.ts';
import { startNotificationWorkers } from '../../jobs/notificationWorkers.ts';

/**
 * The notification side of the worker process, for scripts/bench/notify: what jobs/worker.ts
 * starts for notifications (startNotificationWorkers, from the same environment) without the
 * worker's schedules, whose own reminders run would make the benchmark's messages before the
 * timed run does. Says `ready` over IPC once its workers listen; stops on SIGTERM.
 * BENCH_EMAIL_CONCURRENCY overrides the e-mail worker's concurrency.
 */
const config = loadConfig();
const logger = createLogger(config.logLevel, 'bench-worker');
const mongoUri = config.mongodbUri!;
const connection = createQueueRedis(config.redisUrl!);
connection.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
await connectDatabase(mongoUri, logger, 5);

const emailConcurrency = process.env.BENCH_EMAIL_CONCURRENCY ? Number(process.env.BENCH_EMAIL_CONCURRENCY) : undefined;
const notifications = startNotificationWorkers({
  connection,
  redisPrefix: redisPrefixFor(dbNameFromUri(mongoUri)),
  config,
  key: resolvePersonalCodeKey(config.personalCodeKey, config.dataDir),
  emailConcurrency,
});
for (const w of notifications.workers) {
  w.on('failed', (job, err) => console.error(`worker: job ${job?.id} failed: ${err.message}`));
  w.on('error', (err) => console.error(`worker: ${err.message}`));
}
await Promise.all(notifications.workers.map((w) => w.waitUntilReady()));
process.send?.('ready');

let closing = false;
process.on('SIGTERM', () => {
  if (closing) return;
  closing = true;
  void (async () => {
    await notifications.close();
    await Promise.allSettled([disconnectDatabase(), connection.quit()]);
    process.exit(0);
  })();
});
