import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { markImportFailed, runImport } from '../../src/imports/run.ts';
import { SpreadsheetError } from '../../imports/readWorkbook.ts';
import { ImportModel } from '../../src/imports/model.ts';
import type { PersonalCodeKey } from '../../src/pupils/personalCodes.ts';
import type { ImportJob } from '../queues.ts';

export type ImportProcessorDeps = { redis: Redis; prefix: string; key: PersonalCodeKey; maxRows: number };

// The lock outlives a killed worker by at most this long; a live one renews it well before.
const lockTtlMs = 60_000;
const renewEveryMs = 15_000;
const releaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
// Taken when free, or taken over from an earlier attempt of the same import: BullMQ runs one job
// id in one place at a time, so a lock held under this import's id belongs to a dead attempt.
const acquireScript = "local v = redis.call('get', KEYS[1]) if (not v) or v == ARGV[1] then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end return 0";
const renewScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

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
    const owner = importId;
    const got = await deps.redis.eval(acquireScript, 1, lockKey, owner, lockTtlMs);
    if (!got) {
      await job.moveToDelayed(Date.now() + 1000, token);
      throw new DelayedError();
    }
    // Renewed on a timer rather than per batch: the first pass (reading and checking every row)
    // writes no batches and can take longer than the lock lives on a large file.
    const renew = setInterval(() => {
      deps.redis.eval(renewScript, 1, lockKey, owner, lockTtlMs).catch(() => {});
    }, renewEveryMs);
    try {
      await runImport(importId, { key: deps.key, maxRows: deps.maxRows });
    } catch (err) {
      if (err instanceof SpreadsheetError) {
        await markImportFailed(importId, err.code, err.params);
        throw new UnrecoverableError(err.code);
      }
      // Transient: leave it queued so the page shows it waiting; the last attempt marks it failed.
      await ImportModel.updateOne({ _id: importId, status: 'running' }, { $set: { status: 'queued' } });
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await markImportFailed(importId, 'internal');
      throw err;
    } finally {
      clearInterval(renew);
      await deps.redis.eval(releaseScript, 1, lockKey, owner);
    }
  };
}
