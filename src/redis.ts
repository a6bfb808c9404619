import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis client for request handlers: no offline queue, so a command fails at once while Redis is
 * down (the request answers 503) instead of hanging; ioredis keeps reconnecting in the background.
 */
export function createRedis(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
    ...extra,
  });
}

/** A client for BullMQ workers and queue producers outside requests (BullMQ requires this setting). */
export function createQueueRedis(url: string): Redis {
  return createRedis(url, { enableOfflineQueue: true, maxRetriesPerRequest: null });
}

export function isRedisReady(client: Redis): boolean {
  return client.status === 'ready';
}

/** Answers whether Redis responds within `timeoutMs`. */
export async function pingRedis(client: Redis, timeoutMs = 1500): Promise<boolean> {
  if (!isRedisReady(client)) return false;
  const timeout = new Promise<false>((r) => setTimeout(() => r(false), timeoutMs).unref());
  return Promise.race([client.ping().then(() => true, () => false), timeout]);
}

/** Deletes every key under an instance's prefix (`prefix:*`), a page of keys at a time. */
export async function deleteKeysUnder(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await client.del(...keys);
  } while (cursor !== '0');
}

export type { Redis };
