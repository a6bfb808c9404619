import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * Queue names and payloads. Payloads carry ids only, never rows, files or personal codes: job data
 * sits in Redis and shows on dashboards. Every queue lives under the instance's Redis prefix.
 */
export const queueNames = { system: 'system', imports: 'imports' } as const;

export type SystemJob = { name: 'heartbeat'; data: Record<string, never> };
/** An import job: the import's id, nothing from the file. */
export type ImportJob = { importId: string };

/** The BullMQ prefix for an instance: the same prefix as sessions and limits. */
export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}:bull`;
}

/** The system queue: housekeeping jobs such as the worker's heartbeat. */
export function systemQueue(connection: Redis, redisPrefix: string): Queue {
  return new Queue(queueNames.system, { connection, prefix: bullPrefix(redisPrefix) });
}

/** The imports queue. */
export function importsQueue(connection: Redis, redisPrefix: string): Queue<ImportJob> {
  return new Queue<ImportJob>(queueNames.imports, { connection, prefix: bullPrefix(redisPrefix) });
}

/**
 * Queues an import by id. The job id is the import id, so a repeated request never queues it twice;
 * transient failures retry with exponential backoff.
 */
export async function enqueueImport(queue: Queue<ImportJob>, importId: string): Promise<void> {
  await queue.add('import', { importId }, { jobId: importId, attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 });
}
