import type { Redis } from 'ioredis';
import { writeHeartbeat } from '../../src/ops/heartbeat.ts';

/** Records that a worker is alive; the coordinator's overview shows when it was last seen. */
export async function processHeartbeat(redis: Redis, prefix: string): Promise<void> {
  await writeHeartbeat(redis, prefix);
}
