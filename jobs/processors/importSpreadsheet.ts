import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { ImportFailed, markImportFailed, runImport } from '../../src/imports/run.ts';
import { ImportModel } from '../../src/imports/model.ts';
import type { PersonalCodeKey } from '../../src/pupils/personalCodes.ts';
import type { ImportJob } from '../queues.ts';

export type ImportProcessorDeps = { redis: Redis; prefix: string; key: PersonalCodeKey; maxRows: number };

const lockTtlMs = 60_000;
const releaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * Runs one import. Imports of the same kind for the same institution never run side by side (a
 * Redis lock per institution and kind; a job that finds it taken waits and tries again), so two
 * uploads cannot interleave. A bad file fails for good; anything else is retried.
 */
export function importProcessor(deps: ImportProcessorDeps) {
  return async (job: Job<ImportJob>, token?: string): Promise<void> => {
    const { importId } = job.data;
    const imp = await ImportModel.findById(importId, { kind: 1, institutionCode: 1, status: 1 }).lean();
    if (!imp || imp.status === 'succeeded' || imp.status === 'failed') return;
    const lockKey = `${deps.prefix}:lock:import:${imp.institutionCode ?? 'office'}:${imp.kind}`;
    const owner = `${importId}:${job.attemptsMade}`;
    const got = await deps.redis.set(lockKey, owner, 'PX', lockTtlMs, 'NX');
    if (!got) {
      await job.moveToDelayed(Date.now() + 1000, token);
      throw new DelayedError();
    }
    try {
      await runImport(importId, {
        key: deps.key,
        maxRows: deps.maxRows,
        onBatch: async () => {
          await deps.redis.pexpire(lockKey, lockTtlMs);
        },
      });
    } catch (err) {
      if (err instanceof ImportFailed) {
        await markImportFailed(importId, err.code, err.params);
        throw new UnrecoverableError(err.code);
      }
      // Transient: leave it queued so the page shows it waiting; the last attempt marks it failed.
      await ImportModel.updateOne({ _id: importId, status: 'running' }, { $set: { status: 'queued' } });
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await markImportFailed(importId, 'internal');
      throw err;
    } finally {
      await deps.redis.eval(releaseScript, 1, lockKey, owner);
    }
  };
}
