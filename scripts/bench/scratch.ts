import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { createLogger } from '../../src/logger.ts';
import { connectDatabase, syncIndexes } from '../../src/db.ts';
import { ensureFerretDb, removeFerretDbData } from '../../src/infra/ferretdb.ts';
import { ensureRedis } from '../../src/infra/redisServer.ts';
import { redisPrefixFor } from '../../src/infra/connections.ts';
import { createRedis, deleteKeysUnder } from '../../src/redis.ts';

/** Removes every key under `prefix` from the Redis at `url` (a bench's queues, locks and entries). */
export async function clearRedisPrefix(url: string, prefix: string): Promise<void> {
  // With its offline queue on, this client waits for its connection instead of failing at once.
  const redis = createRedis(url, { enableOfflineQueue: true });
  try {
    await deleteKeysUnder(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

/**
 * A benchmark's own data folder, database name and clean-up: steps registered as things start run
 * newest first, once, on the normal end or on Ctrl-C / SIGTERM, and the folder goes last.
 */
export function benchScratch(name: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `edu-bench-${name}-`));
  const dbName = `bench_${name}_${randomBytes(3).toString('hex')}`;
  const steps: Array<() => Promise<void>> = [];
  let cleaned: Promise<void> | undefined;
  const cleanup = (): Promise<void> => {
    cleaned ??= (async () => {
      for (const step of steps.reverse()) await step().catch((err) => console.error('cleanup:', (err as Error).message));
      fs.rmSync(dataDir, { recursive: true, force: true });
    })();
    return cleaned;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`${signal}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  return {
    dataDir,
    dbName,
    /** Registers a clean-up step (run before those registered earlier). */
    onCleanup: (step: () => Promise<void>) => void steps.push(step),
    cleanup,
    /** True once clean-up has begun (after a signal, what it breaks is no news). */
    cleaning: () => cleaned !== undefined,
    /** Starts the embedded FerretDB for this folder, connects mongoose and builds the models' indexes. */
    async startDatabase() {
      const mongo = await ensureFerretDb(dataDir, dbName);
      steps.push(async () => {
        await mongo.stop();
        await removeFerretDbData(dataDir);
      });
      await connectDatabase(mongo.uri, createLogger('warn', 'bench'), 5);
      steps.push(() => mongoose.disconnect());
      await syncIndexes();
      return mongo;
    },
    /**
     * Finds or starts a Redis for this folder. Everything the service keeps there (queues, locks,
     * sessions, rate-limit counters) sits under the instance's prefix, removed at clean-up, as on
     * a shared Redis it would otherwise stay.
     */
    async startRedis() {
      const server = await ensureRedis(dataDir);
      steps.push(server.stop);
      const prefix = redisPrefixFor(dbName);
      steps.push(() => clearRedisPrefix(server.url, prefix));
      return { server, prefix };
    },
  };
}
