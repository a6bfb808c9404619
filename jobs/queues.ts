import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * Queue names and payloads. Payloads carry ids only, never rows, files or personal codes: job data
 * sits in Redis and shows on dashboards. Every queue lives under the instance's Redis prefix.
 */
export const queueNames = { system: 'system' } as const;

export type SystemJob = { name: 'heartbeat'; data: Record<string, never> };

/** The BullMQ prefix for an instance: the same prefix as sessions and limits. */
export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}:bull`;
}

/** The system queue: housekeeping jobs such as the worker's heartbeat. */
export function systemQueue(connection: Redis, redisPrefix: string): Queue {
  return new Queue(queueNames.system, { connection, prefix: bullPrefix(redisPrefix) });
}
