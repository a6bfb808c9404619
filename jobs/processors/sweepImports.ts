import type { Queue } from 'bullmq';
import { ImportModel } from '../../src/imports/model.ts';
import { enqueueImport, jobOnItsWay, type ImportJob } from '../queues.ts';

// An import untouched this long while queued or running is looked at: a running one records its
// progress every batch, and a queued one behind others keeps its job in the queue, so only one
// whose job is gone or finished is put back. Longer than the lock wait of a blocked upload.
export const strandedAfterMs = 5 * 60_000;
const perSweep = 200;

/**
 * Puts back in the queue the imports no job will finish: the upload stored while Redis was away
 * (so the job was never added), or the last retry spent while the database was away (so neither
 * the failure nor the result could be written). Re-running is safe: an import resumes from its
 * checkpoint and matches rows on their natural keys. Answers how many were put back.
 */
export async function requeueStrandedImports(queue: Queue<ImportJob>, now = Date.now()): Promise<number> {
  const stale = await ImportModel.find({ status: { $in: ['queued', 'running'] }, updatedAt: { $lt: new Date(now - strandedAfterMs) } }, { _id: 1 })
    .sort({ updatedAt: 1 })
    .limit(perSweep)
    .lean();
  let requeued = 0;
  for (const { _id } of stale) {
    const id = String(_id);
    const job = await queue.getJob(id);
    // A job will get to it.
    if (job && jobOnItsWay(await job.getState())) continue;
    // Touched first, so the next sweep leaves it to the new job for a while, and so this write
    // cannot land after the new job has marked it running. enqueueImport removes the finished job.
    await ImportModel.updateOne({ _id, status: { $in: ['queued', 'running'] } }, { $set: { status: 'queued' } });
    await enqueueImport(queue, id);
    requeued += 1;
  }
  return requeued;
}
