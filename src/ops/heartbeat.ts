import type { Redis } from 'ioredis';

const key = (prefix: string) => `${prefix}:worker:heartbeat`;

/** The worker records that it is alive; the key expires if it stops doing so. */
export async function writeHeartbeat(redis: Redis, prefix: string, now = new Date()): Promise<void> {
  await redis.set(key(prefix), now.toISOString(), 'EX', 180);
}

/** When a worker was last alive, or null when none has been for three minutes. */
export async function readHeartbeat(redis: Redis, prefix: string): Promise<string | null> {
  return redis.get(key(prefix));
}
