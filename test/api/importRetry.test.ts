import { expect } from 'chai';
import request from 'supertest';
import { UnrecoverableError, Worker } from 'bullmq';
import { stack, resetData } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser, signedInAgent } from '../support/factories.ts';
import { importFile, makeWorkbook, upload, waitForImport } from '../support/imports.ts';
import { eventually } from '../support/process.ts';
import { personalCodes } from '../support/personalCodes.ts';
import { bullPrefix, queueNames, type ImportJob } from '../../jobs/queues.ts';
import { markImportFailed } from '../../src/imports/run.ts';
import { ImportModel } from '../../src/imports/model.ts';
import { PupilModel } from '../../src/pupils/model.ts';
import { AuditEventModel } from '../../src/audit/model.ts';
import { createQueueRedis } from '../../src/redis.ts';

const header = ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce'];
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

async function principal() {
  const inst = await makeInstitution();
  const user = await makeUser('principal', inst.code);
  return { ...inst, user, token: await makeToken(user.email) };
}

/**
 * Takes the next import job as the real processor does when its last try fails for a technical
 * reason: the import is marked failed with `internal`, and the job ends in BullMQ's failed set.
 */
async function failNextImportForGood(): Promise<string> {
  const connection = createQueueRedis(stack().redisUrl);
  let failedId = '';
  const worker = new Worker<ImportJob>(
    queueNames.imports,
    async (job) => {
      failedId = job.data.importId;
      await markImportFailed(job.data.importId, 'internal');
      throw new UnrecoverableError('the database stayed away through every try');
    },
    { connection, prefix: bullPrefix(stack().redisPrefix) },
  );
  try {
    await eventually('the import failed', async () => failedId !== '' && (await ImportModel.exists({ _id: failedId, status: 'failed' })) !== null);
    await eventually('its job failed', async () => (await stack().jobs.queue.getJob(failedId))?.failedReason !== undefined);
  } finally {
    await worker.close();
    connection.disconnect();
  }
  return failedId;
}

describe('imports: trying a failed import again', () => {
  beforeEach(resetData);
  afterEach(() => stack().jobs.worker.resume());

  it('puts an import that failed for a technical reason back in the queue once, and it ends with every row written once', async () => {
    const { token } = await principal();
    const codes = personalCodes(30);
    const file = await makeWorkbook(header, codes.map((c, i) => ['5.a', `Vārds${i}`, `Uzvārds${i}`, c, 'planšete']));

    // Only the failing stand-in below may take this upload's job.
    await stack().jobs.worker.pause();
    const res = await upload(token, { kind: 'device-needs' }, file).expect(202);
    const id = await failNextImportForGood();
    expect(id).to.equal(res.body.id);
    const failed = await request(stack().app).get(`/api/imports/${id}`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(failed.body).to.deep.include({ status: 'failed' });
    expect(failed.body.failure.code).to.equal('internal');
    expect(await PupilModel.countDocuments()).to.equal(0);

    stack().jobs.worker.resume();
    const first = await request(stack().app).post(`/api/imports/${id}/retry`).set('Authorization', `Bearer ${token}`).expect(202);
    expect(first.body).to.deep.equal({ id });
    // Pressed again while it runs: the same import, not a second job.
    await request(stack().app).post(`/api/imports/${id}/retry`).set('Authorization', `Bearer ${token}`).expect(202);
    const done = await waitForImport(token, id);
    expect(done.status).to.equal('succeeded');
    expect(done.failure).to.equal(null);
    expect(done.summary).to.include({ rows: 30, created: 30, rejected: 0 });
    expect(await PupilModel.countDocuments()).to.equal(30);
    expect(await AuditEventModel.countDocuments({ action: 'import.retry', 'target.id': id })).to.equal(1);

    // Finished: nothing to try again.
    const again = await request(stack().app).post(`/api/imports/${id}/retry`).set('Authorization', `Bearer ${token}`).expect(409);
    expect(again.body.error.code).to.equal('import_not_retryable');
  });

  it('refuses to try again a file that could not be read, and another institution’s import is not found', async () => {
    const { token } = await principal();
    const bad = await importFile(token, { kind: 'device-needs' }, await makeWorkbook(['Kaut kas', 'Cits'], [['a', 'b']]));
    expect(bad.status).to.equal('failed');
    expect(bad.failure!.code).to.equal('no_header');
    const res = await request(stack().app).post(`/api/imports/${bad.id}/retry`).set('Authorization', `Bearer ${token}`).expect(409);
    expect(res.body.error.code).to.equal('import_not_retryable');

    const other = await principal();
    await request(stack().app).post(`/api/imports/${bad.id}/retry`).set('Authorization', `Bearer ${other.token}`).expect(404);
  });

  it('shows the principal a technical failure with a Try again button, and a bad file with the way to upload a corrected one', async () => {
    const p = await principal();
    await stack().jobs.worker.pause();
    await upload(p.token, { kind: 'device-needs' }, await makeWorkbook(header, [['5.a', 'Anna', 'Ozola', personalCodes(1)[0], 'planšete']])).expect(202);
    const id = await failNextImportForGood();
    stack().jobs.worker.resume();

    const { agent } = await signedInAgent(stack().app, p.user.email);
    const page = await agent.get(`/imports/${id}`).set('Accept-Language', 'lv').expect(200);
    expect(page.text).to.contain('Mēģināt vēlreiz');
    expect(page.text).to.contain(`action="/imports/${id}/retry"`);
    expect(page.text).to.contain('href="/imports"');
    await agent.post(`/imports/${id}/retry`).type('form').send({ _csrf: csrfOf(page.text) }).expect(303).expect('Location', `/imports/${id}`);
    expect((await waitForImport(p.token, id)).status).to.equal('succeeded');

    const bad = await importFile(p.token, { kind: 'device-needs' }, await makeWorkbook(['Kaut kas'], [['a']]));
    const badPage = await agent.get(`/imports/${bad.id}`).expect(200);
    expect(badPage.text).not.to.contain(`/imports/${bad.id}/retry`);
    expect(badPage.text).to.contain('href="/imports"');
  });
});
