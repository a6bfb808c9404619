import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import type { Express } from 'express';
import { loadConfig, type Config } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { connectDatabase, syncIndexes } from '../../src/db.ts';
import { createRedis, deleteKeysUnder, type Redis } from '../../src/redis.ts';
import { addEmbeddedLookupIndexes, ensureFerretDb, removeFerretDbData } from '../../src/infra/ferretdb.ts';
import { ensureRedis } from '../../src/infra/redisServer.ts';
import { redisPrefixFor } from '../../src/infra/connections.ts';
import { keepNeedStatusesIn } from '../../src/devices/needStatuses.ts';
import { buildApp } from '../../src/app.ts';
import type { ImportQueue } from '../../src/imports/jobs.ts';
import type { MessageQueue } from '../../src/notifications/deps.ts';
import '../../src/http/types.ts';
import { startImportJobs, testPersonalCodeKey } from './jobs.ts';

/**
 * The real local stack for one test run: its own FerretDB (on PostgreSQL when it answers, else SQLite, for a temporary DATA_DIR) or
 * MONGODB_URI's server, Redis at REDIS_URL or 127.0.0.1:6379 (else a redis-server of its own),
 * a database and Redis prefix of its own, all removed afterwards.
 */
export type Stack = {
  dataDir: string;
  dbName: string;
  mongoUri: string;
  redisUrl: string;
  redisPrefix: string;
  redis: Redis;
  config: Config;
  app: Express;
  jobs: ReturnType<typeof startImportJobs>;
  stop(): Promise<void>;
};

let current: Stack | undefined;

/** The stack started by the root hooks. */
export function stack(): Stack {
  if (!current) throw new Error('test stack not started (is test/support/hooks.ts in the mocha config?)');
  return current;
}

/** Test configuration: the real parser, with low limits so limit tests stay short. */
export function testConfig(dataDir: string, extra: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
    SIGNIN_LIMIT_PER_IP: '1000',
    SIGNIN_LIMIT_PER_ACCOUNT: '5',
    STATUS_LIMIT_PER_IP: '5',
    IMPORT_MAX_BYTES: String(3 * 1024 * 1024),
    // The same key as the in-process import worker, so a pupil entered by form and by list is one pupil.
    PERSONAL_CODE_KEY: testPersonalCodeKey.toString('utf8'),
    ...extra,
  });
}

/** Builds another app instance on the run's database (e.g. with a different Redis). */
export function buildTestApp(
  redis: Redis,
  redisPrefix: string,
  config: Config,
  importQueue: ImportQueue = { enqueueImport: async () => {} },
  messageQueue: MessageQueue = { enqueue: async () => {} },
): Express {
  return buildApp({ config, redis, redisPrefix, sessionSecret: config.sessionSecret!, logger: createLogger('silent', 'test'), importQueue, messageQueue });
}

export async function startStack(env: NodeJS.ProcessEnv = process.env): Promise<Stack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'edu-test-'));
  const dbName = `test_${randomBytes(4).toString('hex')}`;
  const stops: Array<() => Promise<void>> = [];

  let mongoUri: string;
  if (env.MONGODB_URI) {
    const u = new URL(env.MONGODB_URI);
    u.pathname = '/' + dbName;
    mongoUri = u.toString();
  } else {
    const m = await ensureFerretDb(dataDir, dbName);
    stops.push(async () => {
      await m.stop();
      await removeFerretDbData(dataDir);
    });
    mongoUri = m.uri;
  }
  let redisUrl = env.REDIS_URL;
  if (!redisUrl) {
    const r = await ensureRedis(dataDir);
    if (r.owned) stops.push(r.stop);
    redisUrl = r.url;
  }

  const redisPrefix = redisPrefixFor(dbName);
  const logger = createLogger('silent', 'test');
  await connectDatabase(mongoUri, logger, 5);
  await syncIndexes();
  if (!env.MONGODB_URI) await addEmbeddedLookupIndexes(dataDir);
  const redis = createRedis(redisUrl);
  await new Promise<void>((resolve, reject) => {
    if (redis.status === 'ready') return resolve();
    redis.once('ready', () => resolve());
    redis.once('error', reject);
  });
  const config = testConfig(dataDir);
  const jobs = startImportJobs(redisUrl, redisPrefix);
  // As src/server.ts does: one place per process, which apps built later with other prefixes share.
  keepNeedStatusesIn(redis, redisPrefix);
  const app = buildTestApp(redis, redisPrefix, config, jobs.importQueue, jobs.messageQueue);

  current = {
    dataDir,
    dbName,
    mongoUri,
    redisUrl,
    redisPrefix,
    redis,
    config,
    app,
    jobs,
    async stop() {
      await jobs.stop();
      await mongoose.connection.dropDatabase().catch(() => {});
      await mongoose.disconnect();
      await deleteKeysUnder(redis, redisPrefix);
      redis.disconnect();
      for (const stop of stops.reverse()) await stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      current = undefined;
    },
  };
  return current;
}

/** Empties every collection and the run's Redis keys between tests. */
export async function resetData(): Promise<void> {
  const s = stack();
  const db = mongoose.connection.db;
  if (db) for (const c of await db.collections()) await c.deleteMany({});
  await deleteKeysUnder(s.redis, s.redisPrefix);
}
