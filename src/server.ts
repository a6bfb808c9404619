import http from 'node:http';
import net from 'node:net';
import { bootstrap, onShutdown } from './runtime.ts';
import { buildApp } from './app.ts';
import { connectDatabase, disconnectDatabase, syncIndexes } from './db.ts';
import { watchDatabaseClient } from './dbWatchdog.ts';
import { backfillSearchKeys } from './pupils/backfill.ts';
import { backfillEventFlags } from './events/backfill.ts';
import { createRedis } from './redis.ts';
import { keepNeedStatusesIn } from './devices/needStatuses.ts';
import { resolveSessionSecret } from './infra/secrets.ts';
import { enqueueImport, importsQueue, messageQueue, notifyQueue, notifySmsQueue } from '../jobs/queues.ts';

/** The API and web pages. Listens at once; /readyz tells when the database and Redis answer. */
const { config, logger, connections } = await bootstrap('api');
const redis = createRedis(connections.redisUrl);
redis.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
// The entry point wires the HTTP side to the queue; src/ itself never imports jobs/.
const queue = importsQueue(redis, connections.redisPrefix);
const importQueue = { enqueueImport: (id: string) => enqueueImport(queue, id) };
const notify = notifyQueue(redis, connections.redisPrefix);
const notifySms = notifySmsQueue(redis, connections.redisPrefix);
const messages = messageQueue(notify, notifySms, { attempts: config.notifications.attempts, delayMs: config.notifications.retryMs });
// Where this process keeps the parents' status entries (one place per process, like its database).
keepNeedStatusesIn(redis, connections.redisPrefix);
const app = buildApp({
  config,
  redis,
  redisPrefix: connections.redisPrefix,
  sessionSecret: resolveSessionSecret(config.sessionSecret, config.dataDir),
  logger,
  importQueue,
  messageQueue: messages,
});
// Once shutting down, every response asks its client to close the connection, so clients that
// keep connections alive and send without pause (a proxy, a busy page) let go after the request
// in hand instead of holding the process open for ever.
let draining = false;
const inFlight = new Set<http.ServerResponse>();
const server = http.createServer((req, res) => {
  if (draining) res.setHeader('Connection', 'close');
  else {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  }
  app(req, res);
});
server.keepAliveTimeout = 65_000;

server.listen(config.port, config.host, () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  logger.info({ port }, 'api listening');
});
void connectDatabase(connections.mongoUri, logger)
  .then(syncIndexes)
  .then(backfillSearchKeys)
  .then((n) => n && logger.info({ records: n }, 'search keys added'))
  .then(backfillEventFlags)
  .then((n) => n && logger.info({ events: n }, 'waiting events flagged'))
  .catch((err) => logger.error({ err }, 'index sync failed'));
const databaseWatch = watchDatabaseClient(connections.mongoUri, logger);

onShutdown(logger, async () => {
  // Stop taking new connections, let requests in flight finish, then close the clients.
  // http.Server#close would also drop every idle keep-alive connection at once, and a client may
  // have just sent its next request on one (read by nobody, answered by a reset). So only the
  // listener closes now; each open connection gets one more answer, marked `Connection: close`,
  // and connections left silent are closed every two seconds.
  draining = true;
  databaseWatch.stop();
  for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
  await new Promise<void>((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 2000);
    net.Server.prototype.close.call(server, () => {
      clearInterval(idle);
      resolve();
    });
  });
  await Promise.all([queue.close(), notify.close(), notifySms.close()]);
  await Promise.allSettled([disconnectDatabase(), redis.quit()]);
});
