import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { stack, resetData } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { importFile, makeWorkbook, upload, waitForImport } from '../support/imports.ts';
import { exited, startEntry } from '../support/process.ts';
import { testPersonalCodeKey } from '../support/jobs.ts';
import { ImportModel } from '../../src/imports/model.ts';
import { PupilModel } from '../../src/pupils/model.ts';
import { DeviceNeedModel } from '../../src/devices/model.ts';
import { personalCodes } from '../support/personalCodes.ts';

const header = ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce'];

const pupilRows = (codes: string[], device: string) => codes.map((code, i) => [`${(i % 12) + 1}.a`, `Vārds${i}`, `Uzvārds${i}`, code, device]);

async function principalToken(): Promise<string> {
  const { code } = await makeInstitution();
  return makeToken((await makeUser('principal', code)).email);
}

/** The real worker entry point on the test stack's database, Redis prefix and personal-code key. */
function startWorker(): ChildProcess & { log: () => string } {
  const proc = startEntry('jobs/worker.ts', {
    MONGODB_URI: stack().mongoUri,
    REDIS_URL: stack().redisUrl,
    DATA_DIR: stack().dataDir,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    PERSONAL_CODE_KEY: testPersonalCodeKey.toString('utf8'),
  });
  let log = '';
  proc.stdout!.on('data', (c: Buffer) => (log += c));
  proc.stderr!.on('data', (c: Buffer) => (log += c));
  return Object.assign(proc, { log: () => log });
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill('SIGKILL');
  await exited(proc);
}

describe('imports: a worker killed half-way through', function () {
  // Recovery waits for BullMQ's stalled-job check, which can take up to a minute.
  this.timeout(180_000);
  const workers: ChildProcess[] = [];

  // Only the real worker processes started below may take the job.
  before(() => stack().jobs.worker.pause());
  beforeEach(resetData);
  after(async () => {
    for (const w of workers) await stop(w);
    stack().jobs.worker.resume();
  });

  it('resumes after its last checkpoint: every row written once, none lost, and the same file again changes nothing', async () => {
    // Twelve batches of up to 250 rows: a recorded checkpoint with rows still to write is there to catch.
    const rows = 3000;
    const token = await principalToken();
    const file = await makeWorkbook(header, pupilRows(personalCodes(rows), 'planšete'));
    const first = startWorker();
    workers.push(first);
    const { id } = (await upload(token, { kind: 'device-needs' }, file).expect(202)).body as { id: string };

    // The kill must land after a recorded batch (of 250 rows) and before the last one; the worker's
    // start-up and the reading pass come first.
    const deadline = Date.now() + 90_000;
    for (;;) {
      const imp = await ImportModel.findById(id, { status: 1, checkpointRow: 1 }).lean();
      if (imp?.status === 'running' && imp.checkpointRow > 0) break;
      if (imp?.status === 'succeeded' || imp?.status === 'failed' || Date.now() > deadline) {
        throw new Error(`never caught the import mid-way (status ${imp?.status}); worker output:\n${first.log()}`);
      }
      await sleep(20);
    }
    await stop(first);

    const atKill = await ImportModel.findById(id).lean();
    const pupilsAtKill = await PupilModel.countDocuments();
    expect(atKill?.status, 'killed while running').to.equal('running');
    expect(atKill?.checkpointRow).to.be.greaterThan(0);
    expect(pupilsAtKill, 'some but not all rows written when the worker died').to.be.within(1, rows - 1);

    const second = startWorker();
    workers.push(second);
    // The dead worker's job lock must lapse before the stalled-job check hands the job to the new worker.
    const done = await waitForImport(token, id, 150_000);
    expect(done.status, second.log()).to.equal('succeeded');
    expect(done.summary).to.include({ rows, created: rows, updated: 0, unchanged: 0, rejected: 0 });
    expect((await ImportModel.findById(id).lean())?.attempts, 'run twice: killed, then resumed').to.equal(2);
    expect(await PupilModel.countDocuments()).to.equal(rows);
    const needs = await DeviceNeedModel.find({}, { referenceCode: 1, pupil: 1, deviceType: 1 }).lean();
    expect(needs).to.have.length(rows);
    expect(new Set(needs.map((n) => String(n.pupil))).size, 'one need per pupil').to.equal(rows);
    expect(new Set(needs.map((n) => n.referenceCode)).size, 'distinct reference codes').to.equal(rows);
    expect(needs.every((n) => n.deviceType === 'tablet')).to.equal(true);

    // The surviving worker takes this one at once (no dead lock to wait out).
    const again = await importFile(token, { kind: 'device-needs' }, file);
    expect(again.status).to.equal('succeeded');
    expect(again.summary).to.include({ rows, created: 0, updated: 0, unchanged: rows, rejected: 0 });
    expect(await PupilModel.countDocuments()).to.equal(rows);
    expect(await DeviceNeedModel.countDocuments()).to.equal(rows);
  });
});

describe('imports: two uploads for one institution and kind at once', function () {
  // Generous: the second import waits for the first to finish.
  this.timeout(180_000);
  beforeEach(resetData);

  it('run one after the other, so the result is wholly one file or wholly the other', async () => {
    const shared = 150;
    const extra = 50;
    const codes = personalCodes(shared + extra);
    const token = await principalToken();
    const fileA = await makeWorkbook(header, pupilRows(codes.slice(0, shared), 'planšete'));
    const fileB = await makeWorkbook(header, pupilRows(codes, 'dators'));

    // Sent together: the in-process worker (concurrency 2) would take both jobs at once, so only the
    // per-institution lock can keep them apart.
    const [resA, resB] = await Promise.all([
      upload(token, { kind: 'device-needs' }, fileA, 'a.xlsx').expect(202),
      upload(token, { kind: 'device-needs' }, fileB, 'b.xlsx').expect(202),
    ]);
    const idA = resA.body.id as string;
    const idB = resB.body.id as string;
    const [doneA, doneB] = await Promise.all([waitForImport(token, idA, 150_000), waitForImport(token, idB, 150_000)]);
    expect(doneA.status).to.equal('succeeded');
    expect(doneB.status).to.equal('succeeded');

    const a = (await ImportModel.findById(idA).lean())!;
    const b = (await ImportModel.findById(idB).lean())!;
    const bLast = b.startedAt!.getTime() >= a.startedAt!.getTime();
    const [earlier, later] = bLast ? [a, b] : [b, a];
    expect(later.startedAt!.getTime(), 'the later run started only after the earlier one had finished').to.be.at.least(earlier.finishedAt!.getTime());

    const laterSummary = bLast ? doneB.summary : doneA.summary;
    const earlierSummary = bLast ? doneA.summary : doneB.summary;
    expect(earlierSummary).to.include({ created: earlierSummary.rows, updated: 0, rejected: 0 });
    expect(laterSummary).to.include({ created: bLast ? extra : 0, updated: shared, unchanged: 0, rejected: 0 });

    const sharedPupils = await PupilModel.find({ firstName: { $in: codes.slice(0, shared).map((_, i) => `Vārds${i}`) } }, { _id: 1 }).lean();
    expect(sharedPupils).to.have.length(shared);
    const sharedTypes = await DeviceNeedModel.distinct('deviceType', { pupil: { $in: sharedPupils.map((p) => p._id) } });
    expect(sharedTypes, 'the shared pupils all carry the later file’s device').to.deep.equal([bLast ? 'laptop' : 'tablet']);

    const extraNames = codes.slice(shared).map((_, i) => `Vārds${shared + i}`);
    expect(await PupilModel.countDocuments({ firstName: { $in: extraNames } })).to.equal(extra);
    expect(await PupilModel.countDocuments()).to.equal(shared + extra);
    expect(await DeviceNeedModel.countDocuments()).to.equal(shared + extra);
  });
});
