import { expect } from 'chai';
import mongoose from 'mongoose';
import { UnrecoverableError, Worker, type Queue } from 'bullmq';
import { stack, resetData } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { makeWorkbook, upload, waitForImport } from '../support/imports.ts';
import { eventually } from '../support/process.ts';
import { personalCodes } from '../support/personalCodes.ts';
import { ImportModel } from '../../src/imports/model.ts';
import { PupilModel } from '../../src/pupils/model.ts';
import { bullPrefix, enqueueImport, importsQueue, queueNames, type ImportJob } from '../../jobs/queues.ts';
import { importProcessor } from '../../jobs/processors/importSpreadsheet.ts';
import { testPersonalCodeKey } from '../support/jobs.ts';
import { createQueueRedis } from '../../src/redis.ts';
import { requeueStrandedImports, strandedAfterMs } from '../../jobs/processors/sweepImports.ts';

const header = ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce'];

/**
 * Imports left with no job to finish them, as an outage leaves them: the job never added, or its
 * last retry spent with the failure unwritten. The sweep (run every minute by the worker) puts
 * them back; an import a job will still reach is left alone.
 */
describe('imports left with no job are put back in the queue', function () {
  this.timeout(60_000);
  let token: string;
  let institution: string;
  let codesFrom = 0;
  // A queue of this test's own, on which it decides what runs when; the stack's queue is paused.
  let connection: ReturnType<typeof createQueueRedis>;
  let queue: Queue<ImportJob>;
  const workers: Worker[] = [];

  before(async () => {
    connection = createQueueRedis(stack().redisUrl);
    queue = importsQueue(connection, `${stack().redisPrefix}:sweep`);
  });
  beforeEach(async () => {
    await resetData();
    await stack().jobs.queue.pause();
    institution = (await makeInstitution()).code;
    token = await makeToken((await makeUser('principal', institution)).email);
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.close();
    await queue.obliterate({ force: true });
    await stack().jobs.queue.resume();
  });
  after(async () => {
    await queue.close();
    connection.disconnect();
  });

  /** Uploads a 20-row list and takes its job off the (paused) stack queue: an import with no job. */
  async function uploadWithoutJob(): Promise<string> {
    const codes = personalCodes(20, (codesFrom += 20));
    const file = await makeWorkbook(header, codes.map((c, i) => ['5.a', `Vārds${i}`, `Uzvārds${i}`, c, 'planšete']));
    const res = await upload(token, { kind: 'device-needs', institution }, file).expect(202);
    const id = res.body.id as string;
    await (await stack().jobs.queue.getJob(id))!.remove();
    return id;
  }

  /** Starts a worker on the test's queue: the real import processor, or one that always fails. */
  function startWorker(run: 'real' | 'failing') {
    const processor =
      run === 'real'
        ? importProcessor({ redis: connection, prefix: stack().redisPrefix, key: testPersonalCodeKey, maxRows: 1000 })
        : async () => {
            throw new UnrecoverableError('database away');
          };
    const w = new Worker<ImportJob>(queueNames.imports, processor, { connection, prefix: bullPrefix(`${stack().redisPrefix}:sweep`) });
    workers.push(w);
    return w;
  }

  /** Makes the import look untouched for longer than the sweep waits (raw write: no timestamps). */
  const age = (id: string) => ImportModel.collection.updateOne({ _id: new mongoose.Types.ObjectId(id) }, { $set: { updatedAt: new Date(Date.now() - strandedAfterMs - 1000) } });
  const stateOf = async (id: string) => (await queue.getJob(id))?.getState();

  it('an upload whose job was lost is queued again and completes with every row once', async () => {
    // As if Redis had lost the job, or never took it: the import is stored and queued, with no job.
    const id = await uploadWithoutJob();
    expect(await requeueStrandedImports(queue), 'not while it may still be on its way').to.equal(0);
    await age(id);
    expect(await requeueStrandedImports(queue)).to.equal(1);
    expect(await stateOf(id)).to.equal('waiting');
    startWorker('real');
    const done = await waitForImport(token, id);
    expect(done.status).to.equal('succeeded');
    expect(done.summary.created).to.equal(20);
    expect(await PupilModel.countDocuments()).to.equal(20);
  });

  it('an import whose last try failed with the failure unwritten is run again; one whose job waits is left alone', async () => {
    // Its job's tries spent without touching the import, as when the database was away
    // throughout: the job failed, the import still says queued.
    const id = await uploadWithoutJob();
    await enqueueImport(queue, id);
    const failing = startWorker('failing');
    await eventually('job failed', async () => (await stateOf(id)) === 'failed');
    await failing.close();
    expect((await ImportModel.findById(id).lean())!.status).to.equal('queued');
    await age(id);

    // Another upload, just as old, whose job waits: a job will reach it.
    const waiting = await uploadWithoutJob();
    await enqueueImport(queue, waiting);
    await age(waiting);
    const addedAt = (await queue.getJob(waiting))!.timestamp;

    expect(await requeueStrandedImports(queue)).to.equal(1);
    expect(await stateOf(id)).to.equal('waiting');
    expect((await queue.getJob(waiting))!.timestamp, 'the waiting job untouched').to.equal(addedAt);
    startWorker('real');
    const done = await waitForImport(token, id);
    expect(done.status).to.equal('succeeded');
    expect(done.summary.created).to.equal(20);
    expect((await waitForImport(token, waiting)).status).to.equal('succeeded');
    expect(await PupilModel.countDocuments()).to.equal(40);
  });
});
